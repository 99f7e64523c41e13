package io.lifeboat.client;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Polling that steps over a record it cannot read: a client following a topic must not stop on junk
 * someone wrote there (the services dead-letter it; a follower just skips it).
 */
final class Polls {

  private Polls() {}

  static <K, V> ConsumerRecords<K, V> poll(KafkaConsumer<K, V> consumer, Duration timeout) {
    try {
      return consumer.poll(timeout);
    } catch (RecordDeserializationException e) {
      consumer.seek(e.topicPartition(), e.offset() + 1);
      return ConsumerRecords.empty();
    }
  }
}
