package io.lifeboat.stage.common;

import io.lifeboat.events.EventSerde;
import io.lifeboat.events.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue: reads every partition of a topic without a consumer group (each instance must see every
 * event: alerts, cancellations), starting some time back so that a restarted stage still knows of
 * recent events, and hands each readable event on. Unreadable events are skipped (the topic's own
 * consumers dead-letter them).
 */
public final class TopicFollower<V extends SpecificRecord> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final TopicSpec<V> topic;
  private final EventSerde<V> serde;
  private final String unavailable;
  private final @Nullable Admission<V> admission;
  private volatile boolean running = true;

  /**
   * Decides whether an event is handed on (roles mode: only signed requests of a role that may).
   */
  @FunctionalInterface
  public interface Admission<V> {
    boolean admit(String topic, @Nullable String key, Headers headers, @Nullable V event);
  }

  /**
   * @param clientId names the consumer (and its thread)
   * @param unavailable what stops working if following fails, for the log
   */
  public TopicFollower(
      Map<String, Object> common,
      TopicSpec<V> topic,
      Duration lookBack,
      String clientId,
      String unavailable,
      Consumer<V> sink) {
    this(common, topic, lookBack, clientId, unavailable, sink, null);
  }

  /**
   * @param admission checks each event before it is handed on (its value's digest is in the
   *     headers, see {@link io.lifeboat.stage.common.auth.ActorSignatures}); null to hand on all
   */
  public TopicFollower(
      Map<String, Object> common,
      TopicSpec<V> topic,
      Duration lookBack,
      String clientId,
      String unavailable,
      Consumer<V> sink,
      @Nullable Admission<V> admission) {
    this.admission = admission;
    this.topic = topic;
    this.serde = EventSerde.of(topic);
    this.unavailable = unavailable;
    Map<String, Object> props = new HashMap<>(common);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(() -> run(lookBack, sink), clientId);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(Duration lookBack, Consumer<V> sink) {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofMinutes(2)).stream()
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
          V event;
          try {
            event =
                io.lifeboat.stage.common.auth.ActorSignatures.digesting(serde)
                    .deserialize(r.topic(), r.headers(), r.value());
          } catch (RuntimeException e) {
            continue;
          }
          if (admission == null || admission.admit(r.topic(), r.key(), r.headers(), event)) {
            sink.accept(event);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn("stopped following {}; {}", topic.name(), unavailable, e);
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
