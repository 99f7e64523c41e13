package io.lifeboat.stage.streams;

import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.KafkaClients;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * A Kafka Streams application started and closed with the Spring context (the catalog, the recovery
 * coordinator): Lifeboat's client settings, persistent stores under the state dir, large records,
 * unreadable records logged and skipped.
 */
public abstract class StreamsService implements SmartLifecycle {

  private final KafkaClients clients;
  private final String applicationId;
  private final String stateDir;
  private final String guarantee;
  private final Supplier<Topology> topology;
  private volatile @Nullable KafkaStreams streams;

  /**
   * @param guarantee {@link StreamsConfig#AT_LEAST_ONCE} or {@link StreamsConfig#EXACTLY_ONCE_V2}
   * @param topology made at each start
   */
  protected StreamsService(
      KafkaClients clients,
      String applicationId,
      String stateDir,
      String guarantee,
      Supplier<Topology> topology) {
    this.clients = clients;
    this.applicationId = applicationId;
    this.stateDir = stateDir;
    this.guarantee = guarantee;
    this.topology = topology;
  }

  /** The running instance, or null before start. */
  public @Nullable KafkaStreams streams() {
    return streams;
  }

  public Properties config() {
    Properties p = new Properties();
    p.putAll(clients.common());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) clients.replicationFactor());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringHandler.class);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Topics.MAX_MESSAGE_BYTES);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // a Streams member does not leave its group when it closes: the next start of the same app
    // (`lifeboat demo`, then `lifeboat up` on the same home) waits until the old member's session
    // expires, its stores "rebalancing" meanwhile. 10 s instead of 45 s (as Kafka had before 3.0)
    p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    return p;
  }

  @Override
  public synchronized void start() {
    if (streams == null) {
      streams = new KafkaStreams(topology.get(), config());
      streams.start();
    }
  }

  @Override
  public synchronized void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(10));
      streams = null;
      DeadLetteringHandler.closeAll(applicationId);
    }
  }

  @Override
  public boolean isRunning() {
    return streams != null;
  }
}
