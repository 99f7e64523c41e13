package io.lifeboat.catalog;

import io.lifeboat.catalog.topology.CatalogTopology;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.KafkaClients;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the catalog topology: started with the application context, closed with it. The store is
 * persistent (RocksDB under the state dir) and backed by a compacted changelog topic, so a
 * restart or a new instance rebuilds it.
 */
public final class CatalogStreams implements SmartLifecycle {

  private final KafkaClients clients;
  private final CatalogProperties properties;
  private final String stateDir;
  private volatile KafkaStreams streams;

  public CatalogStreams(KafkaClients clients, CatalogProperties properties, String stateDir) {
    this.clients = clients;
    this.properties = properties;
    this.stateDir = stateDir;
  }

  /** The running instance, or null before start. */
  public KafkaStreams streams() {
    return streams;
  }

  Properties config() {
    Properties p = new Properties();
    p.putAll(clients.common());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) clients.replicationFactor());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Topics.MAX_MESSAGE_BYTES);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return p;
  }

  @Override
  public synchronized void start() {
    if (streams == null) {
      streams = new KafkaStreams(CatalogTopology.build(), config());
      streams.start();
    }
  }

  @Override
  public synchronized void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(10));
      streams = null;
    }
  }

  @Override
  public boolean isRunning() {
    return streams != null;
  }
}
