package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.model.BackupView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat backup files:PATH ...}: publishes a backup request, optionally waits for it. */
@Command(name = "backup", description = "Request a backup of one or more components (files:PATH).")
final class BackupCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(
      arity = "1..*",
      paramLabel = "SOURCE",
      description = "Components, e.g. files:/etc/myapp (a bare path means files:)")
  List<String> sources;

  @Option(
      names = "--name",
      description = "Backup definition name (default: the first source's folder name)")
  String name;

  @Option(names = "--label", description = "Label key=value (repeatable)")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--notify",
      paramLabel = "CHANNEL[:ADDRESS,...]",
      description =
          "Tell the notifier's channel CHANNEL this backup's outcome (repeatable); for an email"
              + " channel, optionally to these addresses")
  List<String> notify = new ArrayList<>();

  @Option(
      names = "--type",
      defaultValue = "full",
      description = "full, incremental or differential (default: ${DEFAULT-VALUE})")
  String type;

  @Option(
      names = "--compression-level",
      defaultValue = "1",
      description = "zstd level for new chunks, 0 = none (default: ${DEFAULT-VALUE})")
  int compressionLevel;

  @Option(names = "--wait", description = "Wait for the completion event; exit 0 only on success")
  boolean wait;

  @Option(
      names = "--timeout",
      defaultValue = "PT6H",
      description = "How long --wait waits (ISO-8601, default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--json", description = "Print the result as one JSON object")
  boolean json;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() throws CliException {
    if (!java.util.List.of("full", "incremental", "differential")
        .contains(type.toLowerCase(java.util.Locale.ROOT))) {
      throw new CliException(
          ExitCodes.USAGE, "--type must be full, incremental or differential, got '" + type + "'");
    }
    BackupRequest.Builder b =
        BackupRequest.named(name != null ? name : defaultName())
            .type(type)
            .compressionLevel(compressionLevel);
    sources.forEach(s -> b.component(normalize(s)));
    labels.forEach(b::label);
    for (String n : notify) {
      int colon = n.indexOf(':');
      if (colon < 0) {
        b.notifyChannel(n.strip());
      } else {
        b.notifyEmail(
            n.substring(0, colon).strip(),
            java.util.Arrays.stream(n.substring(colon + 1).split(","))
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .toArray(String[]::new));
      }
    }
    BackupRequest request = b.build();
    try (BackupManager manager = settings.backups(keyIfAvailable())) {
      if (!wait) {
        String id = manager.request(request);
        out.println(json ? Json.line(Map.of("backupId", id, "status", "REQUESTED")) : id);
        return ExitCodes.OK;
      }
      if (!json) {
        err.println("backup " + request.backupId() + " requested; waiting for it to complete ...");
      }
      java.util.concurrent.atomic.AtomicInteger dumped =
          new java.util.concurrent.atomic.AtomicInteger();
      BackupOutcome outcome =
          manager.requestAndWait(
              request,
              timeout,
              d -> {
                dumped.incrementAndGet();
                if (!json) {
                  ComponentSummary c = d.getComponent();
                  err.println(
                      "  "
                          + c.getName()
                          + " dumped: "
                          + Format.bytes(c.getSizeBytes())
                          + " in "
                          + c.getChunkCount()
                          + " chunks ("
                          + c.getNewChunkCount()
                          + " new), "
                          + Format.duration(c.getDurationMs())
                          + " ["
                          + c.getStatus()
                          + "]");
                }
              });
      return report(outcome, dumped.get() > 0);
    }
  }

  /**
   * @param progressed whether the stages reported any progress of this backup
   */
  private int report(BackupOutcome outcome, boolean progressed) {
    if (outcome.timedOut()) {
      if (json) {
        out.println(Json.line(Map.of("backupId", outcome.backupId(), "status", "TIMED_OUT")));
      }
      err.println(
          "error: no completion for backup "
              + outcome.backupId()
              + " within "
              + timeout
              + (progressed
                  ? ": it is still running (its components were dumped; `lifeboat show "
                      + outcome.backupId()
                      + "` follows it). Chunks the storage refused are on lifeboat.chunks.sealed.dlt"
                      + " (`lifeboat dead-letters list lifeboat.chunks.sealed`)"
                  : " (no stage answered: is `lifeboat up` running?)"));
      return ExitCodes.TIMED_OUT;
    }
    // not timed out: rejected or completed
    BackupView view =
        outcome.rejected() != null
            ? BackupView.of(outcome.rejected())
            : BackupView.of(Objects.requireNonNull(outcome.completed()));
    if (json) {
      out.println(Json.line(view));
    } else {
      printSummary(view);
    }
    switch (view.status()) {
      case "SUCCESS":
        return ExitCodes.OK;
      case "PARTIAL":
        return ExitCodes.PARTIAL;
      case "REJECTED":
        return ExitCodes.REJECTED;
      default:
        return ExitCodes.FAILED;
    }
  }

  private void printSummary(BackupView v) {
    out.println("backup " + v.backupId() + " (" + v.name() + "): " + v.status());
    if (v.reason() != null) {
      out.println("  reason:      " + v.reason());
    }
    if (!"REJECTED".equals(v.status())) {
      out.println(
          "  size:        "
              + Format.bytes(v.sizeBytes())
              + " read, "
              + Format.bytes(v.storedBytes())
              + " stored");
      out.println(
          "  chunks:      " + v.newChunks() + " new, " + v.dedupedChunks() + " deduplicated");
      out.println(
          String.format(
              java.util.Locale.ROOT, "  compression: %.2fx on new data", v.compressionRatio()));
      out.println(
          "  duration:    "
              + Format.duration(v.durationMs())
              + " ("
              + Format.rate(v.sizeBytes(), v.durationMs())
              + ")");
      if (v.manifestChecksum() != null) {
        out.println("  manifest:    sha256 " + v.manifestChecksum());
      }
    }
  }

  /** The master key when this machine has it (to seal passwords in URIs), else null. */
  private io.lifeboat.core.crypto.@Nullable MasterKey keyIfAvailable() {
    try {
      return CliRepository.key(settings);
    } catch (CliException | RuntimeException e) {
      return null;
    }
  }

  private String defaultName() {
    String first = normalize(sources.get(0));
    String where = first.substring(first.indexOf(':') + 1);
    Path p = Path.of(where).getFileName();
    return p == null ? "root" : p.toString();
  }

  private static final java.util.Set<String> TREE_KINDS =
      java.util.Set.of("files", "config", "secrets", "logs", "artifacts");

  /**
   * A relative path of a folder kind becomes absolute (the stage may run elsewhere); a bare path
   * means files:.
   */
  static String normalize(String spec) {
    int colon = spec.indexOf(':');
    String kind = colon > 0 ? spec.substring(0, colon) : null;
    if (kind == null || kind.contains("/")) {
      return "files:" + Path.of(spec).toAbsolutePath().normalize();
    }
    String rest = spec.substring(colon + 1);
    if (TREE_KINDS.contains(kind) && !rest.startsWith("/") && !rest.startsWith("env:")) {
      int q = rest.indexOf('?');
      String path = q < 0 ? rest : rest.substring(0, q);
      return kind
          + ":"
          + Path.of(path).toAbsolutePath().normalize()
          + (q < 0 ? "" : rest.substring(q));
    }
    return spec;
  }
}
