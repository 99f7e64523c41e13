package io.lifeboat.cli;

import io.lifeboat.events.TopicSpec;
import io.lifeboat.testkit.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every committed event of a topic from the test broker, as users subscribed to it would see
 * them.
 */
final class RecoveryEvents {

  private RecoveryEvents() {}

  static <V extends SpecificRecord> List<V> all(TopicSpec<V> topic) {
    return all(topic, TestBroker.bootstrapServers());
  }

  static <V extends SpecificRecord> List<V> all(TopicSpec<V> topic, String bootstrap) {
    return all(topic, bootstrap, Map.of());
  }

  /**
   * @param client more client settings (credentials)
   */
  static <V extends SpecificRecord> List<V> all(
      TopicSpec<V> topic, String bootstrap, Map<String, Object> client) {
    List<V> out = new ArrayList<>();
    Map<String, Object> props = new java.util.HashMap<>(client);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < topic.partitions(); p++) {
        parts.add(new TopicPartition(topic.name(), p));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        for (var r : records) {
          try {
            out.add(topic.codec().decode(r.value()));
          } catch (io.lifeboat.events.InvalidEventException junk) {
            // another test on this shared broker wrote junk here on purpose (BadInputIT)
          }
        }
      }
    }
    return out;
  }
}
