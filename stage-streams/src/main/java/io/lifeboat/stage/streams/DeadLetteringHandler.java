package io.lifeboat.stage.streams;

import io.lifeboat.events.TopicSpec;
import io.lifeboat.stage.common.DeadLetters;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Kafka Streams service does with a record it cannot read (not Avro, a schema it does not
 * know, a missing or wrong signature): the original bytes go to {@code <topic>.dlt} with the same
 * {@link io.lifeboat.events.DeadLetterHeaders} the record containers write, and processing goes on.
 * Nothing is lost, and {@code lifeboat dead-letters list TOPIC} shows why. If the dead-letter write
 * itself fails the service stops rather than skip the record silently.
 */
public final class DeadLetteringHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringHandler.class);

  /** Made at the first unreadable record: most services never need one. */
  private @Nullable KafkaProducer<byte[], byte[]> producer;

  private Map<String, Object> producerConfig = Map.of();
  private String applicationId = "";

  @Override
  public void configure(Map<String, ?> configs) {
    Map<String, Object> p = new HashMap<>();
    for (Map.Entry<String, ?> e : configs.entrySet()) {
      if (ProducerConfig.configNames().contains(e.getKey())) {
        p.put(e.getKey(), e.getValue());
      }
    }
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // needs no cluster-wide right
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG, configs.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-dlt");
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    producerConfig = p;
  }

  /** Producers made by handlers, per application id: closed when that application stops. */
  private static final Map<String, java.util.List<KafkaProducer<byte[], byte[]>>> OPEN =
      new java.util.concurrent.ConcurrentHashMap<>();

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
      OPEN.computeIfAbsent(applicationId, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(producer);
    }
    return producer;
  }

  /** Closes the dead-letter producers of an application that stopped (Streams has no hook). */
  static void closeAll(String applicationId) {
    java.util.List<KafkaProducer<byte[], byte[]>> producers = OPEN.remove(applicationId);
    if (producers != null) {
      producers.forEach(p -> p.close(java.time.Duration.ofSeconds(2)));
    }
  }

  @Override
  @SuppressWarnings("deprecation") // the 4.1 signature; 4.2 adds a response with records
  public DeserializationHandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String target = record.topic() + TopicSpec.DEAD_LETTER_SUFFIX;
    String reason = String.valueOf(DeadLetters.rootCause(exception).getMessage());
    LOG.warn(
        "unreadable record on {} (partition {}, offset {}) moved to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        target,
        reason);
    try {
      producer()
          .send(
              new ProducerRecord<>(
                  target,
                  null,
                  record.key(),
                  record.value(),
                  DeadLetters.headers(record, exception, applicationId)))
          .get(30, TimeUnit.SECONDS);
      return DeserializationHandlerResponse.CONTINUE;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.error("could not dead-letter the record to {}; stopping: {}", target, e.toString());
      return DeserializationHandlerResponse.FAIL;
    }
  }
}
