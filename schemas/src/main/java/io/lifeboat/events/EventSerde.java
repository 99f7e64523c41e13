package io.lifeboat.events;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka serializer, deserializer and serde over an {@link EventCodec}. Deserialization of bad bytes
 * throws {@link InvalidEventException}; wrap it in an error-handling deserializer so the record
 * goes to the dead-letter topic.
 *
 * @param <V> the event type
 */
public final class EventSerde<V extends SpecificRecord>
    implements Serde<V>, Serializer<V>, Deserializer<V> {

  private final EventCodec<V> codec;

  public EventSerde(Class<V> type) {
    this.codec = EventCodec.of(Objects.requireNonNull(type, "type"));
  }

  public static <V extends SpecificRecord> EventSerde<V> of(TopicSpec<V> topic) {
    return new EventSerde<>(topic.valueType());
  }

  @Override
  public byte @Nullable [] serialize(String topic, @Nullable V data) {
    return data == null ? null : codec.encode(data);
  }

  @Override
  public @Nullable V deserialize(String topic, byte @Nullable [] data) {
    return data == null ? null : codec.decode(data);
  }

  @Override
  public Serializer<V> serializer() {
    return this;
  }

  @Override
  public Deserializer<V> deserializer() {
    return this;
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
