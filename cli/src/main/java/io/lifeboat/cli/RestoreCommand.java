package io.lifeboat.cli;

import io.lifeboat.core.policy.TargetForm;
import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.RestoreException;
import io.lifeboat.core.restore.RestoreReport;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.wal.WalReplayPlan;
import io.lifeboat.provider.postgres.PointInTimeRestore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat restore ID --to TARGET}: streams a backup from storage to its targets, checks
 * each restored component's health, and rolls everything back if one fails. Needs only the
 * repository and the key; works with Kafka and the catalog down.
 */
@Command(
    name = "restore",
    description = "Restore a backup straight from the repository (no Kafka, no catalog needed).")
final class RestoreCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(paramLabel = "ID", description = "Backup id, or latest")
  String backupId;

  @Option(
      names = "--to",
      description =
          "Target: a folder (several folder components go to one sub-folder each); a database spec (postgres://..., mysql://..., redis://...) when the backup has one component of that kind; with --component any target spec")
  String to;

  @Option(names = "--component", description = "Restore only this component, into --to")
  String component;

  @Option(
      names = "--target",
      description =
          "Component target NAME=SPEC, repeatable (e.g. --target db=postgres://postgres@127.0.0.1/app_copy)")
  Map<String, String> explicitTargets = new LinkedHashMap<>();

  @Option(
      names = "--force",
      description = "Write into a non-empty folder, replacing files of the same name")
  boolean force;

  @Option(
      names = "--replace",
      description =
          "Move an existing target aside, restore, health-check, and put the original back if anything fails")
  boolean replace;

  @Option(
      names = "--drop-aside",
      description =
          "With --replace: remove the moved-aside originals once every component passed its health check")
  boolean dropAside;

  @Option(
      names = "--at",
      description =
          "PostgreSQL base backups (pgbase): replay the archived WAL up to this time (ISO-8601, e.g. 2026-12-01T10:15:30Z) instead of to the end of the archive")
  @Nullable Instant at;

  @Option(
      names = "--parallel",
      defaultValue = "4",
      description = "Chunks fetched at once (default: ${DEFAULT-VALUE})")
  int parallel;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    if (parallel < 1) {
      throw new CliException(ExitCodes.USAGE, "--parallel must be at least 1, got " + parallel);
    }
    if (force && replace) {
      throw new CliException(ExitCodes.USAGE, "--force and --replace do not go together");
    }
    Repository repo = CliRepository.open(settings);
    Manifest manifest =
        at != null && "latest".equals(backupId)
            ? newestBaseBefore(repo, at)
            : CliRepository.manifest(repo, backupId, System.err);
    ProviderRegistry providers = ProviderRegistry.standard();
    Map<String, RestoreTarget> targets = allowed(manifest, targets(manifest, providers), providers);
    if (at != null && manifest.components().stream().noneMatch(PointInTimeRestore::applies)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--at needs a PostgreSQL base backup (pgbase); backup "
              + manifest.backupId()
              + " has none");
    }
    List<Path> spools = new ArrayList<>();
    for (Manifest.Component c : manifest.components()) {
      RestoreTarget t = targets.get(c.name());
      if (t != null && PointInTimeRestore.applies(c)) {
        try {
          // the folder the spool goes beside is made and checked before anything is written
          Restorer.secureFolder(providers.byKind(c.kind()), t);
          PointInTimeRestore.Prepared p =
              PointInTimeRestore.prepare(repo, manifest, c, at, t, parallel);
          spools.add(p.spool());
          targets.put(c.name(), p.target());
          if (p.plan().isEmpty()) {
            System.err.println(
                c.name()
                    + ": the WAL archive holds nothing after this base backup: restoring the base"
                    + " alone, as of its end ("
                    + c.metadata().get("stopTime")
                    + ")");
          } else {
            WalReplayPlan plan = p.plan().get();
            System.err.println(
                c.name()
                    + ": replaying "
                    + plan.files().size()
                    + " archived WAL file(s) up to "
                    + (at != null ? at : "the end of the archive")
                    + " (recoverable until "
                    + plan.recoverableUntil()
                    + ", "
                    + plan.lastSegment()
                    + ")"
                    + plan.gap().map(g -> "; WAL gap at " + g + ": nothing after it").orElse(""));
          }
        } catch (InvalidSourceException e) {
          throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
        } catch (WalReplayPlan.Refused e) {
          throw new CliException(
              ExitCodes.FAILED, "point-in-time restore refused: " + e.getMessage());
        } catch (IOException e) {
          throw new CliException(
              ExitCodes.FAILED, "fetching the archived WAL failed: " + e.getMessage());
        }
      }
    }
    try (Restorer restorer = new Restorer(repo, providers, parallel)) {
      RestoreReport report = restorer.restore(manifest, targets);
      for (RestoreReport.Restored r : report.components()) {
        out.println(
            "restored "
                + r.name()
                + " -> "
                + r.target()
                + ": "
                + Format.bytes(r.bytes())
                + " in "
                + Format.duration(r.duration().toMillis()));
        r.health().checks().forEach(c -> out.println("  healthy: " + c));
        if (r.aside().isPresent()) {
          if (dropAside) {
            providers.byKind(r.aside().get().kind()).dropAside(r.aside().get());
            out.println("  the previous " + r.target() + " was removed (--drop-aside)");
          } else {
            out.println(
                "  the previous " + r.target() + " is kept at " + r.aside().get().location());
          }
        }
      }
      out.println(
          "restore of "
              + manifest.backupId()
              + " complete: "
              + Format.bytes(report.bytes())
              + " in "
              + Format.duration(report.duration().toMillis())
              + " ("
              + Format.rate(report.bytes(), report.duration().toMillis())
              + ")");
      return ExitCodes.OK;
    } catch (RestoreException e) {
      for (Path spool : spools) {
        deleteQuietly(spool);
      }
      throw new CliException(
          ExitCodes.FAILED, "restore refused or failed:\n  " + String.join("\n  ", e.problems()));
    } catch (InvalidSourceException | IOException e) {
      throw new CliException(
          ExitCodes.ERROR,
          "restored, but dropping a moved-aside original failed: " + e.getMessage());
    }
  }

  private Map<String, RestoreTarget> targets(Manifest manifest, ProviderRegistry providers)
      throws CliException {
    RestoreTarget.Occupied occupied =
        replace
            ? RestoreTarget.Occupied.REPLACE
            : force ? RestoreTarget.Occupied.MERGE : RestoreTarget.Occupied.REFUSE;
    Map<String, RestoreTarget> targets = new LinkedHashMap<>();
    if (component != null) {
      if (to == null) {
        throw new CliException(ExitCodes.USAGE, "--component needs --to");
      }
      targets.put(component, new RestoreTarget(absoluteIfPath(to), occupied));
      return targets;
    }
    for (Manifest.Component c : manifest.components()) {
      String spec = explicitTargets.get(c.name());
      if (spec == null) {
        if (to == null) {
          throw new CliException(
              ExitCodes.USAGE, "say where to restore: --to DIR, or --target " + c.name() + "=SPEC");
        }
        boolean folder;
        try {
          ComponentProvider p = providers.byKind(c.kind());
          folder = p.restoresToFolder();
        } catch (InvalidSourceException e) {
          throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
        }
        if (!folder && manifest.components().size() == 1 && to.contains("://")) {
          // one database component and a database spec of the same kind: the intent is clear
          String toKind;
          try {
            toKind = providers.forSpec(to).kind();
          } catch (InvalidSourceException e) {
            throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
          }
          if (!toKind.equals(c.kind())) {
            throw new CliException(
                ExitCodes.USAGE,
                "component "
                    + c.name()
                    + " is "
                    + c.kind()
                    + ", but --to names a "
                    + toKind
                    + " target: give a "
                    + c.kind()
                    + " spec, or --target "
                    + c.name()
                    + "=SPEC");
          }
          targets.put(c.name(), new RestoreTarget(to, occupied));
          continue;
        }
        if (!folder) {
          throw new CliException(
              ExitCodes.USAGE,
              "component "
                  + c.name()
                  + " ("
                  + c.kind()
                  + ") does not restore into a folder: add --target "
                  + c.name()
                  + "=SPEC"
                  + (manifest.components().size() == 1
                      ? " (or --to a " + c.kind() + " spec)"
                      : ""));
        }
        Path root = Path.of(to).toAbsolutePath().normalize();
        spec =
            manifest.components().size() == 1 ? root.toString() : root.resolve(c.name()).toString();
      }
      targets.put(c.name(), new RestoreTarget(absoluteIfPath(spec), occupied));
    }
    return targets;
  }

  /**
   * The targets as this command's target policy resolves them (folders to their real paths), or
   * every reason it refuses them; nothing is written before.
   */
  private Map<String, RestoreTarget> allowed(
      Manifest manifest, Map<String, RestoreTarget> targets, ProviderRegistry providers)
      throws CliException {
    TargetPolicy policy = settings.targetPolicy();
    Map<String, RestoreTarget> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, RestoreTarget> e : targets.entrySet()) {
      String source = manifest.component(e.getKey()).map(Manifest.Component::source).orElse(null);
      String kind = manifest.component(e.getKey()).map(Manifest.Component::kind).orElse("");
      TargetForm form;
      try {
        form = TargetForm.of(providers.byKind(kind));
      } catch (InvalidSourceException x) {
        throw new CliException(ExitCodes.ERROR, String.valueOf(x.getMessage()));
      }
      TargetPolicy.Decision d = policy.check(e.getValue().spec(), form, source, false);
      d.problems()
          .forEach(
              p ->
                  problems.add(
                      e.getKey()
                          + ": target "
                          + Redact.spec(e.getValue().spec())
                          + " is refused: "
                          + p));
      out.put(e.getKey(), new RestoreTarget(d.target(), e.getValue().occupied()));
    }
    if (!problems.isEmpty()) {
      throw new CliException(
          ExitCodes.REJECTED,
          "restore refused, nothing written:\n  " + String.join("\n  ", problems));
    }
    return out;
  }

  /**
   * With {@code latest --at T}: the newest PostgreSQL base backup that ended before T (it replays
   * the least WAL).
   */
  private static Manifest newestBaseBefore(Repository repo, Instant at) throws CliException {
    PointInTimeRestore.BaseBackup best = null;
    for (PointInTimeRestore.BaseBackup b : PointInTimeRestore.baseBackups(repo, null)) {
      if (!b.stopTime().isAfter(at) && (best == null || b.stopTime().isAfter(best.stopTime()))) {
        best = b;
      }
    }
    if (best == null) {
      throw new CliException(
          ExitCodes.FAILED,
          "point-in-time restore refused: no PostgreSQL base backup (pgbase) ended before " + at);
    }
    return best.manifest();
  }

  private static void deleteQuietly(Path folder) {
    try (var files = java.nio.file.Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // already gone
    }
  }

  private static String absoluteIfPath(String spec) {
    return spec.contains("://") ? spec : Path.of(spec).toAbsolutePath().normalize().toString();
  }
}
