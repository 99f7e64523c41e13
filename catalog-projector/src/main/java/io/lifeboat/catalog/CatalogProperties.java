package io.lifeboat.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.catalog.*}.
 *
 * @param applicationId Kafka Streams application id (consumer group and changelog prefix)
 * @param stateDir where the persistent state store lives; defaults under lifeboat.home
 * @param gaugeRefresh how often the state gauges (RPO after a restart, replica lag) are read from
 *     the whole store: a scan of every entry, so not too often
 */
@ConfigurationProperties("lifeboat.catalog")
public record CatalogProperties(
    @DefaultValue("lifeboat-catalog") String applicationId,
    String stateDir,
    @DefaultValue("30s") java.time.Duration gaugeRefresh) {}
