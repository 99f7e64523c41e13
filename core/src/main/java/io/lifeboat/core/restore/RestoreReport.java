package io.lifeboat.core.restore;

import java.time.Duration;
import java.util.List;

/**
 * What a restore did.
 *
 * @param backupId the backup restored
 * @param components one entry per restored component
 * @param duration wall time of the whole restore
 */
public record RestoreReport(String backupId, List<Restored> components, Duration duration) {

  public RestoreReport {
    components = List.copyOf(components);
  }

  public long bytes() {
    return components.stream().mapToLong(Restored::bytes).sum();
  }

  /**
   * One restored component.
   *
   * @param name component name
   * @param target where it went
   * @param bytes stream bytes restored
   * @param duration time it took
   */
  public record Restored(String name, String target, long bytes, Duration duration) {}
}
