package io.lifeboat.stage.common;

import io.lifeboat.events.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings every stage uses, in one place: large records, idempotent producers with
 * acks=all, manual commits, read_committed consumers, and the user's extra client settings.
 */
public final class KafkaClients {

  private final LifeboatProperties.Kafka kafka;
  private final Map<String, String> credentials;

  public KafkaClients(LifeboatProperties.Kafka kafka) {
    this(kafka, Map.of());
  }

  private KafkaClients(LifeboatProperties.Kafka kafka, Map<String, String> credentials) {
    this.kafka = kafka;
    this.credentials = credentials;
  }

  /**
   * These settings for a principal: with a credentials folder configured, the clients made from the
   * result authenticate as {@code principal} (its {@code <principal>.properties}); without one,
   * they are these clients.
   *
   * @throws IllegalStateException when the folder is configured but holds no file for the principal
   */
  public KafkaClients as(String principal) {
    if (kafka.credentialsDir() == null) {
      return this;
    }
    return new KafkaClients(
        kafka, KafkaCredentials.read(Path.of(kafka.credentialsDir()), principal));
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public short replicationFactor() {
    return kafka.replicationFactor();
  }

  public Map<String, Object> common() {
    Map<String, Object> props = new HashMap<>(kafka.client());
    props.putAll(credentials);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    // while a broker is down, clients try again at most every 10 s, and say so at most as often
    props.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
    return props;
  }

  public Map<String, Object> producer(String clientId) {
    Map<String, Object> props = common();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 4 * 1024 * 1024);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    return props;
  }

  public Map<String, Object> consumer(String groupId, int maxPollRecords, int maxPollIntervalMs) {
    Map<String, Object> props = common();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES + 1024 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 24 * 1024 * 1024);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
    return props;
  }

  /**
   * A consumer of chunk topics: waits for about a megabyte (or 100 ms) per fetch, so the broker
   * answers fewer, fuller fetches while a backup streams.
   */
  public Map<String, Object> chunkConsumer(
      String groupId, int maxPollRecords, int maxPollIntervalMs) {
    Map<String, Object> props = consumer(groupId, maxPollRecords, maxPollIntervalMs);
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    return props;
  }
}
