package io.lifeboat.stage.common;

import io.lifeboat.events.EventCodec;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Serializes what Lifeboat sends: events (single-object Avro), strings (UTF-8, for keys) and raw
 * bytes (dead letters keep the bytes that could not be read).
 */
public final class AnySerializer implements Serializer<Object> {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public byte @Nullable [] serialize(String topic, @Nullable Object data) {
    if (data == null) {
      return null;
    }
    if (data instanceof byte[] bytes) {
      return bytes;
    }
    if (data instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    if (data instanceof SpecificRecord r) {
      return ((EventCodec) EventCodec.of(r.getClass())).encode(r);
    }
    throw new IllegalArgumentException(
        "cannot serialize " + data.getClass().getName() + " for " + topic);
  }
}
