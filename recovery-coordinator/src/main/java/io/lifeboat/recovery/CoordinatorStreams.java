package io.lifeboat.recovery;

import io.lifeboat.events.Topics;
import io.lifeboat.recovery.topology.CoordinatorTopology;
import io.lifeboat.stage.common.KafkaClients;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the coordinator topology with exactly-once processing: a saga step's state change and
 * the commands it sends commit together, so a restart resumes from the stored state and sends no
 * command twice.
 */
public final class CoordinatorStreams implements SmartLifecycle {

  private final KafkaClients clients;
  private final CoordinatorProperties properties;
  private final String stateDir;
  private volatile KafkaStreams streams;

  public CoordinatorStreams(KafkaClients clients, CoordinatorProperties properties, String stateDir) {
    this.clients = clients;
    this.properties = properties;
    this.stateDir = stateDir;
  }

  public KafkaStreams streams() {
    return streams;
  }

  Properties config() {
    Properties p = new Properties();
    p.putAll(clients.common());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) clients.replicationFactor());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
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
      streams = new KafkaStreams(CoordinatorTopology.build(properties.stepTimeout(), properties.requestMaxAge()), config());
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
