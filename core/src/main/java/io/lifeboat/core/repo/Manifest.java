package io.lifeboat.core.repo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backup consists of, stored encrypted as {@code manifests/<backupId>} in every location.
 * With the repository and the key, this is all a restore needs: no Kafka, no catalog.
 *
 * @param version manifest format version, {@value #VERSION}
 * @param backupId the backup
 * @param name the backup definition's name
 * @param type FULL, INCREMENTAL or DIFFERENTIAL
 * @param status SUCCESS or PARTIAL (failed backups have no manifest)
 * @param labels user labels
 * @param requestedAt when it was asked for
 * @param startedAt when the dump started
 * @param completedAt when the manifest was written
 * @param components what was stored, in request order
 */
public record Manifest(
    int version,
    String backupId,
    String name,
    String type,
    String status,
    Map<String, String> labels,
    Instant requestedAt,
    Instant startedAt,
    Instant completedAt,
    List<Component> components) {

  public static final int VERSION = 1;

  public Manifest {
    RepositoryLayout.checkBackupId(backupId);
    labels = Map.copyOf(labels);
    components = List.copyOf(components);
  }

  public Optional<Component> component(String componentName) {
    return components.stream().filter(c -> c.name().equals(componentName)).findFirst();
  }

  /** Plaintext bytes over all components. */
  public long sizeBytes() {
    return components.stream().mapToLong(Component::sizeBytes).sum();
  }

  /**
   * One component: its stream is the concatenation of its chunks, in order.
   *
   * @param name unique within the backup
   * @param kind provider kind, e.g. files
   * @param source the source spec without credentials
   * @param status OK or PARTIAL
   * @param warnings what the provider skipped or found odd
   * @param sizeBytes stream length
   * @param streamSha256 SHA-256 of the whole stream, checked on restore
   * @param metadata provider facts (counts, versions)
   * @param chunks chunk ids (hex) in stream order
   * @param chunkSizes plaintext size of each chunk
   */
  public record Component(
      String name,
      String kind,
      String source,
      String status,
      List<String> warnings,
      long sizeBytes,
      String streamSha256,
      Map<String, String> metadata,
      List<String> chunks,
      List<Integer> chunkSizes) {

    public Component {
      Objects.requireNonNull(name, "name");
      warnings = List.copyOf(warnings);
      metadata = Map.copyOf(metadata);
      chunks = List.copyOf(chunks);
      chunkSizes = List.copyOf(chunkSizes);
      if (chunks.size() != chunkSizes.size()) {
        throw new IllegalArgumentException(
            "component "
                + name
                + ": "
                + chunks.size()
                + " chunks but "
                + chunkSizes.size()
                + " sizes");
      }
    }
  }
}
