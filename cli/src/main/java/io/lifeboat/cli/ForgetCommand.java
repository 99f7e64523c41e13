package io.lifeboat.cli;

import io.lifeboat.core.prune.BackupDeletion;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.retention.Retention;
import io.lifeboat.core.retention.RetentionPolicy;
import io.lifeboat.core.storage.Backend;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat forget}: applies a retention policy to each backup name and deletes the backups
 * it does not keep, saying for each backup which rule kept it or why it goes.
 */
@Command(
    name = "forget",
    description =
        "Apply a retention policy per backup name (default: 30 daily, 12 weekly, 12 monthly) and"
            + " delete what it does not keep; prints every decision and its reason.")
final class ForgetCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(names = "--name", description = "Only backups of this name")
  String name;

  @Option(names = "--keep-last", description = "Keep the newest N")
  Integer keepLast;

  @Option(names = "--keep-hourly", description = "Keep one per hour for N hours")
  Integer keepHourly;

  @Option(names = "--keep-daily", description = "Keep one per day for N days")
  Integer keepDaily;

  @Option(names = "--keep-weekly", description = "Keep one per week for N weeks")
  Integer keepWeekly;

  @Option(names = "--keep-monthly", description = "Keep one per month for N months")
  Integer keepMonthly;

  @Option(names = "--keep-yearly", description = "Keep one per year for N years")
  Integer keepYearly;

  @Option(names = "--keep-within", description = "Keep every backup younger than this (P30D)")
  Duration keepWithin;

  @Option(names = "--keep-label", description = "Keep backups with this label (key or key=value)")
  List<String> keepLabels = new ArrayList<>();

  @Option(names = "--tz", description = "Time zone of days, weeks, months (default: UTC)")
  ZoneId zone = ZoneId.of("UTC");

  @Option(names = "--dry-run", description = "Only say what would be deleted")
  boolean dryRun;

  @Option(names = "--json", description = "One JSON object per backup")
  boolean json;

  PrintStream out = System.out;
  PrintStream err = System.err;

  RetentionPolicy policy() {
    boolean any =
        keepLast != null
            || keepHourly != null
            || keepDaily != null
            || keepWeekly != null
            || keepMonthly != null
            || keepYearly != null
            || keepWithin != null
            || !keepLabels.isEmpty();
    if (!any) {
      return RetentionPolicy.DEFAULT;
    }
    return new RetentionPolicy(
        n(keepLast),
        n(keepHourly),
        n(keepDaily),
        n(keepWeekly),
        n(keepMonthly),
        n(keepYearly),
        keepWithin,
        keepLabels);
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }

  @Mixin BreakGlass.Reason breakGlass;

  @Override
  public Integer call() throws CliException {
    if (!dryRun) {
      BreakGlass.check(settings, "forget", "backup.forget", "", breakGlass.reason);
    }
    RetentionPolicy policy;
    try {
      policy = policy();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
    }
    Repository repo = CliRepository.openPrimary(settings);
    Map<String, List<Retention.Backup>> byName =
        io.lifeboat.core.retention.RetentionRun.byName(
            repo,
            name,
            id -> err.println("warning: the manifest of " + id + " is damaged; left alone"));
    Map<String, String> inUse = backupsOfRunningRecoveries();
    List<Backend> locations = CliRepository.locations(settings, repo);
    int[] counts = new int[2]; // kept, removed
    java.util.Set<String> removedIds = new java.util.HashSet<>();
    // backups first, then the WAL archives (wal.SOURCE): what the kept base backups need stays
    for (Map.Entry<String, List<Retention.Backup>> e : byName.entrySet()) {
      if (e.getKey().startsWith("wal.")) {
        continue;
      }
      if (!json) {
        out.println(e.getKey() + " (" + policy.describe() + "):");
      }
      for (Retention.Decision d :
          Retention.decide(e.getValue(), policy, Instant.now(), zone, inUse)) {
        handle(d, locations, counts);
        if (!d.keep()) {
          removedIds.add(d.backup().id());
        }
      }
    }
    for (Map.Entry<String, List<Retention.Backup>> e : byName.entrySet()) {
      if (!e.getKey().startsWith("wal.")) {
        continue;
      }
      String source = e.getKey().substring("wal.".length());
      long[] segmentSize = {io.lifeboat.core.wal.WalFileName.DEFAULT_SEGMENT_SIZE};
      java.util.Optional<io.lifeboat.core.wal.WalRetention.Oldest> oldest =
          oldestNeeded(repo, source, removedIds, segmentSize);
      if (!json) {
        out.println(e.getKey() + " (WAL: kept from the oldest kept base backup on):");
      }
      for (Retention.Decision d :
          io.lifeboat.core.wal.WalRetention.decide(e.getValue(), oldest, segmentSize[0])) {
        handle(d, locations, counts);
      }
    }
    int kept = counts[0];
    int removed = counts[1];
    if (!json) {
      out.println(
          kept
              + " kept, "
              + removed
              + (dryRun ? " would be removed (dry run)" : " removed")
              + (removed > 0 && !dryRun ? "; run `lifeboat prune` to reclaim their space" : ""));
    }
    return ExitCodes.OK;
  }

  private void handle(Retention.Decision d, List<Backend> locations, int[] counts) {
    if (d.keep()) {
      counts[0]++;
    } else {
      counts[1]++;
      if (!dryRun) {
        String why = "forget: " + String.join("; ", d.reasons());
        BackupDeletion.delete(locations, d.backup().id(), why);
        Announce.deleted(settings, d.backup().id(), err);
      }
    }
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("backupId", d.backup().id());
      j.put("name", d.backup().name());
      j.put("completedAt", d.backup().completedAt().toString());
      j.put("keep", d.keep());
      j.put("reasons", d.reasons());
      j.put("dryRun", dryRun);
      out.println(Json.line(j));
    } else {
      out.println(
          "  "
              + (d.keep() ? "keep   " : dryRun ? "would remove " : "remove ")
              + d.backup().id()
              + "  "
              + d.backup().completedAt()
              + "  "
              + String.join("; ", d.reasons()));
    }
  }

  /**
   * The oldest WAL segment a kept base backup ({@code pgbase} with this walSource) replays from:
   * where it ends. Empty when no base of the source is kept.
   */
  private static java.util.Optional<io.lifeboat.core.wal.WalRetention.Oldest> oldestNeeded(
      Repository repo, String source, java.util.Set<String> removedIds, long[] segmentSize) {
    io.lifeboat.core.wal.WalRetention.Oldest oldest = null;
    for (io.lifeboat.provider.postgres.PointInTimeRestore.BaseBackup b :
        io.lifeboat.provider.postgres.PointInTimeRestore.baseBackups(repo, source)) {
      String id = b.manifest().backupId();
      if (removedIds.contains(id)) {
        continue;
      }
      segmentSize[0] = b.segmentSize();
      io.lifeboat.core.wal.WalFileName n = b.stopSegment();
      if (oldest == null
          || n.timeline() < oldest.timeline()
          || (n.timeline() == oldest.timeline() && n.segno(b.segmentSize()) < oldest.segno())) {
        oldest =
            new io.lifeboat.core.wal.WalRetention.Oldest(
                n.timeline(), n.segno(b.segmentSize()), id);
      }
    }
    return java.util.Optional.ofNullable(oldest);
  }

  /**
   * Backups that a recovery still running reads (from the catalog), with the reason to keep them.
   */
  Map<String, String> backupsOfRunningRecoveries() {
    Map<String, String> inUse = new java.util.HashMap<>();
    java.util.Optional<tools.jackson.databind.JsonNode> recoveries;
    try {
      recoveries = ApiGet.get(settings, "/api/recoveries?limit=100000");
    } catch (CliException e) {
      err.println(
          "warning: cannot ask the catalog which backups running recoveries use ("
              + e.getMessage()
              + "); only the policy protects them");
      return inUse;
    }
    java.util.Set<String> running =
        java.util.Set.of("PENDING", "VALIDATING", "RUNNING", "COMPENSATING");
    recoveries.ifPresent(
        all ->
            all.forEach(
                x -> {
                  if (running.contains(x.path("status").asString(""))) {
                    x.path("steps")
                        .forEach(
                            step -> {
                              String id = step.path("backupId").asString("");
                              if (!id.isEmpty()) {
                                inUse.put(
                                    id,
                                    "in use by recovery "
                                        + x.path("executionId").asString("")
                                        + " ("
                                        + x.path("planName").asString("")
                                        + ")");
                              }
                            });
                  }
                }));
    return inUse;
  }
}
