package io.lifeboat.client;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to restore one backup ({@link LifeboatClient#restoreBackup}).
 *
 * @param to the target of a backup with one component: a folder, or a database URI of its kind
 * @param targets component name to target, for any of the backup's components
 * @param ifExists when a target holds data: replace (moved aside, put back on failure; the
 *     default), refuse or merge
 * @param mode EXECUTE (the default), TEST (scratch targets, torn down after) or VALIDATE
 * @param rto an objective to measure the restore against, e.g. 15m
 */
public record RestoreOptions(
    @Nullable String to,
    Map<String, String> targets,
    @Nullable String ifExists,
    String mode,
    @Nullable String rto) {

  public RestoreOptions {
    targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** Restores a one-component backup into {@code target}. */
  public static RestoreOptions to(String target) {
    return new RestoreOptions(target, Map.of(), null, "EXECUTE", null);
  }

  /** Restores each named component into its target. */
  public static RestoreOptions targets(Map<String, String> componentTargets) {
    return new RestoreOptions(null, componentTargets, null, "EXECUTE", null);
  }

  public RestoreOptions ifExists(String policy) {
    return new RestoreOptions(to, targets, policy, mode, rto);
  }

  public RestoreOptions mode(String newMode) {
    return new RestoreOptions(to, targets, ifExists, newMode, rto);
  }

  public RestoreOptions rto(String objective) {
    return new RestoreOptions(to, targets, ifExists, mode, objective);
  }
}
