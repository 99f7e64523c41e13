package io.lifeboat.stage.common;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every stage shares ({@code lifeboat.*}). Defaults live in
 * {@code lifeboat-defaults.properties}; environment variables such as {@code LIFEBOAT_HOME} and
 * {@code LIFEBOAT_KAFKA_BOOTSTRAP_SERVERS} override them.
 *
 * @param home where the embedded default keeps its data
 * @param kafka how to reach Kafka
 * @param repository where backups are stored and the key that opens them
 */
@ConfigurationProperties("lifeboat")
public record LifeboatProperties(String home, Kafka kafka, Repository repository) {

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param replicationFactor replication of the topics Lifeboat creates (1 for a single broker)
   * @param client extra Kafka client settings for every client (security, SASL, TLS)
   */
  public record Kafka(
      @DefaultValue("localhost:9092") String bootstrapServers,
      @DefaultValue("1") short replicationFactor,
      @DefaultValue Map<String, String> client) {}

  /**
   * @param location storage location of the repository (path, file:, s3:, azure:, gs:, ...): the primary
   * @param replicas further locations that hold a copy of every chunk and manifest (e.g. another region)
   * @param keyFile master key file; ignored when LIFEBOAT_MASTER_KEY is set
   * @param fsync sync each local object to disk before it counts as stored
   * @param repairInterval how often the upload stage brings replicas up to date (0 = never)
   */
  public record Repository(
      String location,
      @DefaultValue List<String> replicas,
      String keyFile,
      @DefaultValue("true") boolean fsync,
      @DefaultValue("5m") java.time.Duration repairInterval) {}
}
