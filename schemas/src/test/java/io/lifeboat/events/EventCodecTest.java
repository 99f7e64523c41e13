package io.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private final EventCodec<BackupRequested> codec = EventCodec.of(BackupRequested.class);

  static BackupRequested request() {
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next("b-1"))
        .setBackupId("b-1")
        .setName("nightly")
        .setComponents(List.of(new ComponentSpec("files", "files:/srv")))
        .setLabels(Map.of("env", "prod"))
        .build();
  }

  @Test
  void encodeDecode_roundTrips() {
    BackupRequested in = request();
    assertThat(codec.decode(codec.encode(in))).isEqualTo(in);
  }

  @Test
  void encode_startsWithSingleObjectMarkerAndFingerprint() {
    byte[] bytes = codec.encode(request());
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
  }

  @Test
  void decode_garbage_isInvalidEvent() {
    byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> codec.decode(garbage))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("not a BackupRequested event");
  }

  @Test
  void decode_otherEventType_isInvalidEvent() {
    ChunkStored other =
        ChunkStored.newBuilder()
            .setEnvelope(Envelopes.next("b-1"))
            .setBackupId("b-1")
            .setComponent("files")
            .setChunkId("00")
            .setPlainSize(1)
            .setStoredSize(1)
            .setWritten(true)
            .build();
    byte[] bytes = EventCodec.of(ChunkStored.class).encode(other);
    assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(InvalidEventException.class);
  }

  @Test
  void decode_truncated_isInvalidEvent() {
    byte[] bytes = codec.encode(request());
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> codec.decode(cut)).isInstanceOf(InvalidEventException.class);
  }

  @Test
  void decode_olderWriterSchemaFromHistory_readsWithDefaults() throws Exception {
    // An older producer wrote Alert without "labels": the current reader fills the default in,
    // once the old schema is known to the store.
    Schema old =
        SchemaBuilder.record("Alert")
            .namespace("io.lifeboat.events")
            .fields()
            .name("envelope")
            .type(Envelope.getClassSchema())
            .noDefault()
            .name("severity")
            .type(Severity.getClassSchema())
            .noDefault()
            .requiredString("kind")
            .requiredString("subject")
            .requiredString("message")
            .endRecord();
    GenericRecord envelope = new GenericData.Record(Envelope.getClassSchema());
    envelope.put("eventId", "e");
    envelope.put("time", 1L);
    envelope.put("correlationId", "c");
    GenericRecord alert = new GenericData.Record(old);
    alert.put("envelope", envelope);
    alert.put("severity", new GenericData.EnumSymbol(Severity.getClassSchema(), "CRITICAL"));
    alert.put("kind", "backup.failed");
    alert.put("subject", "b-9");
    alert.put("message", "disk full");
    ByteBuffer encoded =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(alert);

    var decoder =
        new org.apache.avro.message.BinaryMessageDecoder<Alert>(
            org.apache.avro.specific.SpecificData.get(), Alert.getClassSchema());
    decoder.addSchema(old);
    Alert read = decoder.decode(encoded);

    assertThat(read.getSubject()).isEqualTo("b-9");
    assertThat(read.getLabels()).isEmpty();
  }

  @Test
  void anyEventSerde_decodesByFingerprint() {
    BackupRequested in = request();
    assertThat(AnyEventSerde.decode(codec.encode(in))).isEqualTo(in);
    assertThatThrownBy(() -> AnyEventSerde.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(InvalidEventException.class);
  }
}
