package io.lifeboat.stage.common;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every service shares ({@code lifeboat.home}, {@code lifeboat.kafka.*}). Defaults live in
 * {@code lifeboat-defaults.properties}; environment variables such as {@code LIFEBOAT_HOME} and
 * {@code LIFEBOAT_BOOTSTRAP} override them. Storage and key settings are not here: only the
 * services that touch backup data read them (see the stage-storage module).
 *
 * @param home where the embedded default keeps its data
 * @param kafka how to reach Kafka
 */
@ConfigurationProperties("lifeboat")
public record LifeboatProperties(String home, Kafka kafka) {

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param replicationFactor replication of the topics Lifeboat creates (1 for a single broker)
   * @param client extra Kafka client settings for every client (security, SASL, TLS)
   * @param credentialsDir a folder of client settings per principal ({@code
   *     lifeboat-dump.properties}, ...): each service's clients authenticate as its own principal;
   *     unset: the {@code client} settings for all
   * @param provisionTopics create missing topics at start (off where an administrator made them)
   */
  public record Kafka(
      @DefaultValue("localhost:9092") String bootstrapServers,
      @DefaultValue("1") short replicationFactor,
      @DefaultValue Map<String, String> client,
      @Nullable String credentialsDir,
      @DefaultValue("true") boolean provisionTopics) {}
}
