package io.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EventSignaturesTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final String TOPIC = "lifeboat.recovery.commands";

  final Serializer<String> signing =
      EventSignatures.signing(new StringSerializer(), Map.of(TOPIC, KEY));
  final Deserializer<String> verifying = EventSignatures.verifying(new StringDeserializer(), KEY);

  @Test
  void aSignedRecord_isRead() {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = signing.serialize(TOPIC, headers, "restore db");

    assertThat(headers.lastHeader(EventSignatures.HEADER)).isNotNull();
    assertThat(verifying.deserialize(TOPIC, headers, value)).isEqualTo("restore db");
  }

  @Test
  void anUnsignedOrWronglySignedOrAlteredRecord_isRefused() {
    assertThatThrownBy(
            () ->
                verifying.deserialize(
                    TOPIC, new RecordHeaders(), "rm -rf /".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ForgedEventException.class)
        .hasMessageContaining("carries no signature");

    RecordHeaders wrong = new RecordHeaders();
    wrong.add(
        EventSignatures.HEADER,
        EventSignatures.mac(
            "another key, another sender!".getBytes(StandardCharsets.UTF_8),
            TOPIC,
            "x".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(
            () -> verifying.deserialize(TOPIC, wrong, "x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ForgedEventException.class)
        .hasMessageContaining("wrong signature");

    RecordHeaders headers = new RecordHeaders();
    byte[] value = signing.serialize(TOPIC, headers, "restore db");
    value[0] ^= 1;
    assertThatThrownBy(() -> verifying.deserialize(TOPIC, headers, value))
        .isInstanceOf(ForgedEventException.class);
    // a signature for one topic does not hold on another
    RecordHeaders moved = new RecordHeaders();
    byte[] v = signing.serialize(TOPIC, moved, "restore db");
    assertThatThrownBy(() -> verifying.deserialize("lifeboat.backup.dumps", moved, v))
        .isInstanceOf(ForgedEventException.class);
  }
}
