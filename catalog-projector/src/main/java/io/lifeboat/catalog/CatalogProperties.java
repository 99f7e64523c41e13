package io.lifeboat.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.catalog.*}.
 *
 * @param applicationId Kafka Streams application id (consumer group and changelog prefix)
 * @param stateDir where the persistent state store lives; defaults under lifeboat.home
 */
@ConfigurationProperties("lifeboat.catalog")
public record CatalogProperties(
    @DefaultValue("lifeboat-catalog") String applicationId, String stateDir) {}
