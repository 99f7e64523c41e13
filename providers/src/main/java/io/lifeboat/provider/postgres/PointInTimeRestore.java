package io.lifeboat.provider.postgres;

import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.wal.WalArchive;
import io.lifeboat.core.wal.WalFileName;
import io.lifeboat.core.wal.WalReplayPlan;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Readies a {@code pgbase} component for a point-in-time restore: plans the WAL replay from the
 * repository's archive of its source (refusing a time before the base, past the archive or past a
 * gap), fetches those files into a spool folder beside the target, and returns the target with the
 * spool and the recovery target time added, for {@link PgBaseProvider#restore}.
 */
public final class PointInTimeRestore {

  private PointInTimeRestore() {}

  /**
   * What was planned and where the WAL was put.
   *
   * @param plan the replay, or empty when the base backup is restored alone (no archived WAL after
   *     it, and no time asked for: it starts as of its own end)
   */
  public record Prepared(RestoreTarget target, Optional<WalReplayPlan> plan, Path spool) {}

  public static boolean applies(Manifest.Component component) {
    return "pgbase".equals(component.kind());
  }

  /**
   * A PostgreSQL base backup in a repository: its manifest and its {@code pgbase} component.
   *
   * @param stopSegment the segment it ends in: a replay from it starts there
   * @param stopTime when it ended: the earliest point it restores to
   * @param segmentSize the cluster's WAL segment size
   */
  public record BaseBackup(
      Manifest manifest,
      Manifest.Component component,
      WalFileName stopSegment,
      Instant stopTime,
      long segmentSize) {}

  /**
   * The base backups of a source (of every source when null) in the repository, read from their
   * manifests (one listing, one read per backup; archived WAL files and unreadable manifests are
   * skipped).
   */
  public static List<BaseBackup> baseBackups(Repository repository, @Nullable String source) {
    List<BaseBackup> out = new ArrayList<>();
    for (String id : repository.listManifests()) {
      if (id.startsWith("wal.")) {
        continue;
      }
      Manifest m;
      try {
        m = repository.readManifest(id);
      } catch (DamagedObjectException | RuntimeException e) {
        continue;
      }
      for (Manifest.Component c : m.components()) {
        Map<String, String> meta = c.metadata();
        String stop = meta.get(PgBaseProvider.META_STOP_SEGMENT);
        String stopTime = meta.get(PgBaseProvider.META_STOP_TIME);
        Optional<WalFileName> segment = stop == null ? Optional.empty() : WalFileName.parse(stop);
        if (applies(c)
            && (source == null || source.equals(meta.get(WalArchive.META_SOURCE)))
            && segment.isPresent()
            && stopTime != null) {
          out.add(
              new BaseBackup(
                  m,
                  c,
                  segment.get(),
                  Instant.parse(stopTime),
                  Long.parseLong(
                      meta.getOrDefault(
                          WalArchive.META_SEGMENT_SIZE,
                          Long.toString(WalFileName.DEFAULT_SEGMENT_SIZE)))));
        }
      }
    }
    return out;
  }

  /**
   * Plans the replay, fetches the WAL into a spool folder beside the target, and returns the target
   * the provider restores into.
   *
   * @param at the time to restore to, or null for the end of the archive
   * @throws WalReplayPlan.Refused when the archive cannot reach that time (nothing was written)
   */
  public static Prepared prepare(
      Repository repository,
      Manifest manifest,
      Manifest.Component component,
      @Nullable Instant at,
      RestoreTarget target,
      int parallel)
      throws WalReplayPlan.Refused, IOException {
    Optional<WalReplayPlan> plan = replay(repository, manifest, component, at);
    Path spool = spool(target);
    if (plan.isEmpty()) {
      return new Prepared(target, plan, spool);
    }
    PgDataDirectory.deleteTree(spool);
    Files.createDirectories(spool);
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    WalArchive.of(repository, source(component)).fetch(plan.get().files(), spool, parallel);
    return new Prepared(target(target, at), plan, spool);
  }

  /** Where the WAL to replay is put: a folder beside the data directory. */
  public static Path spool(RestoreTarget target) {
    return PgDataDirectory.of(target).defaultSpool();
  }

  /** The target with the replay's settings: the spool folder and the time to stop at. */
  public static RestoreTarget target(RestoreTarget target, @Nullable Instant at) {
    String spec =
        target.spec()
            + (target.spec().contains("?") ? "&" : "?")
            + "walSpool="
            + URLEncoder.encode(spool(target).toString(), StandardCharsets.UTF_8)
            + (at == null ? "" : "&recoveryTargetTime=" + at);
    return new RestoreTarget(spec, target.occupied());
  }

  /**
   * The replay a restore of this base backup to {@code at} would do; empty when there is nothing to
   * replay and no time was asked for (the base backup alone, consistent as of its end).
   */
  public static Optional<WalReplayPlan> replay(
      Repository repository, Manifest manifest, Manifest.Component component, @Nullable Instant at)
      throws WalReplayPlan.Refused, IOException {
    if (at == null) {
      Map<String, String> m = component.metadata();
      WalArchive archive = WalArchive.of(repository, source(component));
      if (!archive.has(meta(m, PgBaseProvider.META_STOP_SEGMENT))) {
        return Optional.empty();
      }
    }
    return Optional.of(plan(repository, manifest, component, at));
  }

  /** The replay a restore of this base backup to {@code at} would do, or why it cannot. */
  public static WalReplayPlan plan(
      Repository repository, Manifest manifest, Manifest.Component component, @Nullable Instant at)
      throws WalReplayPlan.Refused, IOException {
    Map<String, String> m = component.metadata();
    WalReplayPlan.Base base =
        new WalReplayPlan.Base(
            manifest.backupId(),
            Long.parseLong(meta(m, PgBaseProvider.META_TIMELINE)),
            meta(m, PgBaseProvider.META_STOP_SEGMENT),
            Instant.parse(meta(m, PgBaseProvider.META_STOP_TIME)),
            Long.parseLong(meta(m, WalArchive.META_SEGMENT_SIZE)));
    try {
      return WalReplayPlan.plan(WalArchive.of(repository, source(component)), base, at);
    } catch (DamagedObjectException e) {
      throw new IOException("a WAL manifest is damaged: " + e.getMessage(), e);
    }
  }

  private static String meta(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("the base backup does not record its " + key);
    }
    return v;
  }

  public static String source(Manifest.Component component) {
    String s = component.metadata().get(WalArchive.META_SOURCE);
    if (s == null) {
      throw new IllegalArgumentException(component.name() + " is not a pgbase component");
    }
    return s;
  }
}
