package io.lifeboat.core.restore;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.HealthReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a restore did.
 *
 * @param backupId the backup restored
 * @param components one entry per restored component, in restore order
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
   * @param duration time it took, health check included
   * @param health what the post-restore health check found (healthy, or the restore would have
   *     failed)
   * @param aside the original target, moved aside and kept, when there was one
   */
  public record Restored(
      String name,
      String target,
      long bytes,
      Duration duration,
      HealthReport health,
      Optional<Aside> aside) {}
}
