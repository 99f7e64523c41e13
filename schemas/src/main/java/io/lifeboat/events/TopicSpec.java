package io.lifeboat.events;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka topic as Lifeboat uses it: its name, the partition count it is created with, its topic
 * configs and the one event type its values hold. Keys are always strings (backup id or chunk id).
 *
 * @param name topic name, {@code lifeboat.<area>.<plural-noun>}
 * @param partitions partitions to create the topic with (more may exist)
 * @param configs topic-level configs to create the topic with
 * @param valueType the generated Avro class of the values
 * @param <V> the value type
 */
public record TopicSpec<V extends SpecificRecord>(
    String name, int partitions, Map<String, String> configs, Class<V> valueType) {

  /** Suffix of every dead-letter topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlt";

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    configs = Map.copyOf(configs);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
    }
  }

  /** Name of the topic that receives this topic's unreadable records. */
  public String deadLetterName() {
    return name + DEAD_LETTER_SUFFIX;
  }

  /** A codec for this topic's values. */
  public EventCodec<V> codec() {
    return EventCodec.of(valueType);
  }
}
