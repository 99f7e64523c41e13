package io.lifeboat.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads any Lifeboat event without knowing its type in advance: the writer schema's fingerprint in
 * the single-object header says which codec decodes it. For consumers that merge several topics
 * (the catalog) and for tools that tail topics.
 */
public final class AnyEventSerde
    implements Serde<SpecificRecord>, Serializer<SpecificRecord>, Deserializer<SpecificRecord> {

  private static final Map<Long, EventCodec<?>> BY_FINGERPRINT = index();

  private static Map<Long, EventCodec<?>> index() {
    List<Class<? extends SpecificRecord>> types = new ArrayList<>();
    Topics.all().forEach(t -> types.add(t.valueType()));
    types.add(CatalogEntry.class);
    Map<Long, EventCodec<?>> map = new HashMap<>();
    for (Class<? extends SpecificRecord> type : types) {
      EventCodec<?> codec = EventCodec.of(type);
      map.put(SchemaNormalization.parsingFingerprint64(SpecificData.get().getSchema(type)), codec);
      for (Schema old : SchemaHistory.versions(type)) {
        map.put(SchemaNormalization.parsingFingerprint64(old), codec);
      }
    }
    return Map.copyOf(map);
  }

  /** Decodes an event of any known type. @throws InvalidEventException otherwise */
  public static SpecificRecord decode(byte[] bytes) {
    if (bytes == null || bytes.length < 10 || bytes[0] != (byte) 0xC3 || bytes[1] != 0x01) {
      throw new InvalidEventException("not a single-object encoded Lifeboat event", null);
    }
    long fingerprint = 0;
    for (int i = 9; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
    }
    EventCodec<?> codec = BY_FINGERPRINT.get(fingerprint);
    if (codec == null) {
      throw new InvalidEventException(
          "unknown event schema (fingerprint " + Long.toHexString(fingerprint) + ")", null);
    }
    return codec.decode(bytes);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public byte @Nullable [] serialize(String topic, @Nullable SpecificRecord data) {
    return data == null ? null : ((EventCodec) EventCodec.of(data.getClass())).encode(data);
  }

  @Override
  public @Nullable SpecificRecord deserialize(String topic, byte @Nullable [] data) {
    return data == null ? null : decode(data);
  }

  @Override
  public Serializer<SpecificRecord> serializer() {
    return this;
  }

  @Override
  public Deserializer<SpecificRecord> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
