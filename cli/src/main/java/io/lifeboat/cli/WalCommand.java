package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.wal.WalArchive;
import io.lifeboat.core.wal.WalFileName;
import io.lifeboat.core.wal.WalReplayPlan;
import io.lifeboat.provider.postgres.PointInTimeRestore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat wal push|status}: PostgreSQL's continuous WAL archive. */
@Command(
    name = "wal",
    description = "PostgreSQL WAL archiving: the archive_command, and the recoverable window.",
    subcommands = {WalCommand.Push.class, WalCommand.Status.class, WalCommand.Watch.class})
final class WalCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("usage: lifeboat wal push|status (see lifeboat wal --help)");
    return ExitCodes.USAGE;
  }

  /**
   * PostgreSQL's {@code archive_command}. Sends the file through the pipeline (dumped, compressed,
   * encrypted, stored, read back and verified) and exits 0 only once its manifest is written. Every
   * failure exits 1, never above 125 (PostgreSQL stops its archiver on those), so PostgreSQL keeps
   * the file and tries again.
   */
  @Command(
      name = "push",
      description =
          "Archive one WAL file through the pipeline; exit 0 only when it is stored and verified. Use as archive_command = 'lifeboat wal push --source ID %p'.")
  static final class Push implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Option(names = "--source", required = true, description = "The cluster's WAL source id")
    String source;

    @Parameters(paramLabel = "PATH", description = "The file (%p: relative to the data directory)")
    String path;

    @Option(
        names = "--timeout",
        defaultValue = "PT5M",
        description = "How long to wait for the archive (default: ${DEFAULT-VALUE})")
    Duration timeout;

    PrintStream err = System.err;

    @Override
    public Integer call() {
      Path p = Path.of(path).toAbsolutePath().normalize();
      String name = String.valueOf(p.getFileName());
      try {
        WalArchive.checkSource(source);
      } catch (IllegalArgumentException e) {
        err.println("lifeboat wal push: " + e.getMessage());
        return ExitCodes.ERROR;
      }
      if (WalFileName.parse(name).isEmpty() || !Files.isRegularFile(p)) {
        err.println("lifeboat wal push: " + p + " is not a WAL file PostgreSQL archives");
        return ExitCodes.ERROR;
      }
      BackupRequest request =
          BackupRequest.named(WalArchive.backupName(source))
              .backupId(WalArchive.newBackupId(source, name))
              .compressionLevel(1)
              .component("wal", "walseg:" + p + "?source=" + source)
              .label("wal.source", source)
              .label("wal.file", name)
              // a watch (lifeboat wal watch) of this archive's RPO follows its completions
              .label(
                  io.lifeboat.core.schedule.ScheduledBackups.SCHEDULE_LABEL,
                  WalArchive.backupName(source))
              .build();
      long started = System.nanoTime();
      try (BackupManager manager = settings.backups(null)) {
        BackupOutcome outcome = manager.requestAndWait(request, timeout, d -> {});
        if (outcome.succeeded()) {
          err.println(
              "lifeboat wal push: archived "
                  + name
                  + " of "
                  + source
                  + " as "
                  + request.backupId()
                  + " in "
                  + Format.duration((System.nanoTime() - started) / 1_000_000));
          return ExitCodes.OK;
        }
        err.println("lifeboat wal push: " + name + " was not archived: " + outcome.summary());
        return ExitCodes.ERROR;
      } catch (RuntimeException e) {
        err.println("lifeboat wal push: " + name + " was not archived: " + e);
        return ExitCodes.ERROR;
      }
    }
  }

  /** The archive of one source as the repository holds it: files, gaps, windows, RPO. */
  @Command(
      name = "status",
      description =
          "Show a source's WAL archive from the repository: recoverable windows per base backup, gaps, and the age of the newest archived WAL (the RPO now).")
  static final class Status implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Parameters(paramLabel = "SOURCE", description = "The WAL source id")
    String source;

    @Option(names = "--json", description = "One JSON object")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      Repository repo = CliRepository.open(settings);
      WalArchive archive;
      try {
        archive = WalArchive.of(repo, source);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
      }
      try {
        Map<String, Object> status = status(repo, archive, Instant.now());
        if (json) {
          out.println(Json.line(status));
        } else {
          print(status);
        }
        @SuppressWarnings("unchecked")
        List<Object> gaps = (List<Object>) java.util.Objects.requireNonNull(status.get("gaps"));
        return gaps.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
      } catch (DamagedObjectException | IOException e) {
        throw new CliException(ExitCodes.FAILED, "the WAL archive is damaged: " + e.getMessage());
      }
    }

    private void print(Map<String, Object> s) {
      out.println("WAL source " + s.get("source") + ": " + s.get("files") + " files archived");
      out.println(
          "  newest:   " + s.get("newestSegment") + " (closed " + s.get("newestClosedAt") + ")");
      out.println("  RPO now:  " + s.get("rpoSeconds") + " s (age of the newest archived WAL)");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> windows =
          (List<Map<String, Object>>) java.util.Objects.requireNonNull(s.get("windows"));
      if (windows.isEmpty()) {
        out.println("  no base backup (pgbase://...?walSource=" + s.get("source") + ") yet");
      }
      for (Map<String, Object> w : windows) {
        out.println(
            "  window:   "
                + w.get("from")
                + " .. "
                + w.get("to")
                + " from base "
                + w.get("baseBackupId")
                + (w.get("refused") != null ? " (" + w.get("refused") + ")" : ""));
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> gaps =
          (List<Map<String, Object>>) java.util.Objects.requireNonNull(s.get("gaps"));
      for (Map<String, Object> g : gaps) {
        out.println("  GAP:      " + g.get("from") + " .. " + g.get("to") + " missing");
      }
    }
  }

  /**
   * Watches the archive's age: the scheduler raises {@code backup.rpo-breached} when no WAL file of
   * the source was archived within the objective, and clears it at the next one. A schedule named
   * {@code wal.SOURCE} that fires nothing (action WATCH).
   */
  @Command(
      name = "watch",
      description =
          "Alert (backup.rpo-breached) when the newest archived WAL of a source is older than --rpo; --off stops watching.")
  static final class Watch implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Parameters(paramLabel = "SOURCE", description = "The WAL source id")
    String source;

    @Option(
        names = "--rpo",
        defaultValue = "PT60S",
        description = "Objective (default: ${DEFAULT-VALUE})")
    Duration rpo;

    @Option(names = "--off", description = "Stop watching")
    boolean off;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      String name;
      try {
        name = WalArchive.backupName(source);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
      }
      try (BackupManager manager = settings.backups(null)) {
        if (off) {
          manager.deleteSchedule(name);
          out.println("no longer watching the WAL archive of " + source);
          return ExitCodes.OK;
        }
        manager.defineSchedule(
            io.lifeboat.events.ScheduleDefined.newBuilder()
                .setEnvelope(io.lifeboat.events.Envelopes.next(name))
                .setName(name)
                .setCron("@daily")
                .setAction(io.lifeboat.events.ScheduleAction.WATCH)
                .setBackupName(name)
                .setRpo(rpo.toString())
                .setDefinedBy(System.getProperty("user.name", ""))
                .setDefinedAt(Instant.now())
                .build());
      }
      out.println(
          "watching the WAL archive of "
              + source
              + ": backup.rpo-breached when nothing was archived for "
              + Format.duration(rpo.toMillis()));
      return ExitCodes.OK;
    }
  }

  /** What {@code wal status} shows, as data. */
  static Map<String, Object> status(Repository repo, WalArchive archive, Instant now)
      throws DamagedObjectException, IOException {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("source", archive.source());
    s.put("files", archive.files().size());
    String newest = null;
    long segmentSize = WalFileName.DEFAULT_SEGMENT_SIZE;
    List<Map<String, Object>> windows = new ArrayList<>();
    for (PointInTimeRestore.BaseBackup b : PointInTimeRestore.baseBackups(repo, archive.source())) {
      segmentSize = b.segmentSize();
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("baseBackupId", b.manifest().backupId());
      w.put("from", b.stopTime().toString());
      try {
        WalReplayPlan plan = PointInTimeRestore.plan(repo, b.manifest(), b.component(), null);
        w.put("to", plan.recoverableUntil().toString());
        w.put("lastSegment", plan.lastSegment());
      } catch (WalReplayPlan.Refused e) {
        w.put("to", null);
        w.put("refused", e.getMessage());
      }
      windows.add(w);
    }
    windows.sort(java.util.Comparator.comparing(w -> String.valueOf(w.get("from"))));
    List<Map<String, Object>> gaps = new ArrayList<>();
    for (String f : archive.files().keySet()) {
      WalFileName n = WalFileName.parse(f).orElseThrow();
      if (n.kind() == WalFileName.Kind.SEGMENT) {
        newest = newest == null || f.compareTo(newest) > 0 ? f : newest;
      }
    }
    if (newest != null) {
      long tli = WalFileName.parse(newest).orElseThrow().timeline();
      for (long[] g : archive.gaps(tli, segmentSize)) {
        gaps.add(
            Map.of(
                "timeline", tli,
                "from", WalArchive.name(tli, g[0], segmentSize),
                "to", WalArchive.name(tli, g[1], segmentSize)));
      }
      Instant closed = archive.closedAt(newest);
      s.put("newestSegment", newest);
      s.put("newestClosedAt", closed.toString());
      s.put("rpoSeconds", Duration.between(closed, now).toSeconds());
    } else {
      s.put("newestSegment", null);
      s.put("newestClosedAt", null);
      s.put("rpoSeconds", null);
    }
    s.put("windows", windows);
    s.put("gaps", gaps);
    return s;
  }
}
