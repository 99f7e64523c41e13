package io.lifeboat.stage.storage;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where backups are stored and the key that opens them ({@code lifeboat.repository.*}). Read only
 * by the services that touch backup data; defaults in {@code lifeboat-storage-defaults.properties}.
 *
 * @param location storage location of the repository (path, file:, s3:, azure:, gs:, ...): the
 *     primary
 * @param replicas further locations that hold a copy of every chunk and manifest (e.g. another
 *     region)
 * @param keyFile master key file; ignored when LIFEBOAT_MASTER_KEY is set
 * @param fsync sync each local object to disk before it counts as stored
 * @param repairInterval how often the upload stage brings replicas up to date (0 = never)
 */
@ConfigurationProperties("lifeboat.repository")
public record RepositoryProperties(
    String location,
    @DefaultValue List<String> replicas,
    String keyFile,
    @DefaultValue("true") boolean fsync,
    @DefaultValue("5m") Duration repairInterval) {

  /** The primary, then the replicas, as configured. */
  public List<String> locations() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(location), replicas.stream())
        .toList();
  }
}
