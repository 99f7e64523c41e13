package io.lifeboat.stage.verify;

import io.lifeboat.events.Alert;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue: reads every partition of the alert topic (no consumer group: each verify instance must see
 * every alert), starting an hour back so that a restarted stage still knows of recent failures, and
 * hands each readable alert on. Unreadable alerts are skipped.
 */
final class AlertFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final EventSerde<Alert> serde = EventSerde.of(Topics.ALERTS);
  private volatile boolean running = true;

  AlertFollower(Map<String, Object> common, Duration lookBack, Consumer<Alert> sink) {
    Map<String, Object> props = new HashMap<>(common);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lifeboat-stage-verify-alerts");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(() -> run(lookBack, sink), "lifeboat-verify-alerts");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(Duration lookBack, Consumer<Alert> sink) {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.ALERTS.name(), Duration.ofMinutes(2)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      long from = System.currentTimeMillis() - lookBack.toMillis();
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, from));
      Map<TopicPartition, OffsetAndTimestamp> offsets =
          consumer.offsetsForTimes(query, Duration.ofMinutes(1));
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp o = offsets.get(p);
        if (o == null) {
          consumer.seekToEnd(List.of(p));
        } else {
          consumer.seek(p, o.offset());
        }
      }
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Alert alert;
          try {
            alert = serde.deserialize(r.topic(), r.value());
          } catch (RuntimeException e) {
            continue;
          }
          sink.accept(alert);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn(
            "stopped following alerts; a backup whose chunks cannot be stored will fail only after the no-progress timeout",
            e);
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
