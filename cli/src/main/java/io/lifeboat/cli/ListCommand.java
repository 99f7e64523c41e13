package io.lifeboat.cli;

import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.CatalogQuery;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat list}: backups from the catalog, newest first. */
@Command(name = "list", description = "List backups from the catalog (newest first).")
final class ListCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(names = "--name", description = "Only this backup definition name")
  String name;

  @Option(
      names = "--status",
      description = "Only this status (SUCCESS, PARTIAL, FAILED, REJECTED, RUNNING, REQUESTED)")
  String status;

  @Option(names = "--component", description = "Only backups with this component kind or name")
  String component;

  @Option(names = "--label", description = "Only backups with this label key=value")
  String label;

  @Option(
      names = "--from",
      description = "Requested at or after (2026-11-25 or 2026-11-25T03:00:00Z)")
  String from;

  @Option(names = "--to", description = "Requested before")
  String to;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "At most this many (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "One JSON object per backup, one per line")
  boolean json;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    List<BackupView> backups =
        new CatalogClient(settings.api(), settings.apiToken())
            .list(
                new CatalogQuery(
                    name, component, status, label, instant(from), instant(to), limit));
    if (json) {
      backups.forEach(b -> out.println(Json.line(b)));
      return ExitCodes.OK;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%-28s %-16s %-9s %-20s %10s %10s %11s %9s",
            "ID",
            "NAME",
            "STATUS",
            "REQUESTED",
            "SIZE",
            "STORED",
            "NEW/DEDUP",
            "DURATION"));
    for (BackupView b : backups) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-28s %-16s %-9s %-20s %10s %10s %11s %9s",
              b.backupId(),
              cut(b.name(), 16),
              b.status(),
              b.requestedAt() == null
                  ? "-"
                  : b.requestedAt().toString().replaceFirst("\\.\\d+Z$", "Z"),
              Format.bytes(b.sizeBytes()),
              Format.bytes(b.storedBytes()),
              b.newChunks() + "/" + b.dedupedChunks(),
              Format.duration(b.durationMs())));
    }
    return ExitCodes.OK;
  }

  private static String cut(String s, int n) {
    return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }

  static @Nullable Instant instant(@Nullable String v) throws CliException {
    if (v == null) {
      return null;
    }
    try {
      return v.length() == 10
          ? LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC)
          : Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw new CliException(
          ExitCodes.USAGE, "not a date or instant: " + v + " (2026-11-25 or 2026-11-25T03:00:00Z)");
    }
  }
}
