package io.lifeboat.cli;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.RestoreReport;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.verify.Verifier;
import io.lifeboat.core.verify.VerifyReport;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lifeboat demo}: the newcomer's tour. Starts everything (unless `lifeboat up` already
 * runs), backs up a sample folder through the pipeline, shows its catalog entry, restores it and
 * proves it identical, shows deduplication on a second and a third backup, and verifies.
 */
@Command(
    name = "demo",
    description = "Start everything, back up a sample folder, restore it, show the figures.")
final class DemoCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    AllInOne started = null;
    String bootstrap = settings.bootstrap();
    String api = settings.api();
    if (!catalogAnswers(api)) {
      started =
          AllInOne.start(
              new AllInOne.Options(
                  settings.home(),
                  settings.repository(),
                  settings.replicas(),
                  settings.keyFile(),
                  settings.kafkaPort(),
                  settings.apiPort(),
                  null,
                  Map.of("logging.level.root", "WARN", "logging.level.io.lifeboat", "WARN")),
              out);
      bootstrap = started.bootstrapServers();
      api = started.apiUrl();
    } else {
      out.println("using the Lifeboat already running at " + api);
    }
    try {
      return tour(bootstrap, api);
    } finally {
      if (started != null) {
        out.println("stopping ...");
        started.close();
      }
    }
  }

  private int tour(String bootstrap, String api) throws Exception {
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(java.time.Instant.now());
    // beside the home, not in it: the dump stage never reads Lifeboat's home (keys, credentials)
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-demo-" + stamp);
    Path sample = DemoData.create(work.resolve("sample"));
    out.println();
    out.println("1. Backing up the sample folder " + sample);
    BackupView first;
    try (BackupManager manager = new BackupManager(bootstrap, settings.kafkaProperties(), null)) {
      first = backup(manager, sample, "first backup");
      if (!"SUCCESS".equals(first.status())) {
        return ExitCodes.FAILED;
      }

      out.println();
      out.println("2. Its catalog entry (GET " + api + "/api/backups/" + first.backupId() + ")");
      BackupView entry = waitForCatalog(new CatalogClient(api), first.backupId());
      out.println(
          "   status "
              + entry.status()
              + ", "
              + entry.components().size()
              + " component(s), "
              + entry.components().get(0).metadata());

      out.println();
      out.println("3. Restoring it straight from the repository (no Kafka involved)");
      Repository repo = CliRepository.open(settings);
      Manifest manifest = repo.readManifest(first.backupId());
      Path restored = work.resolve("restored");
      try (Restorer restorer = new Restorer(repo, ProviderRegistry.standard(), 4)) {
        RestoreReport r =
            restorer.restore(
                manifest,
                Map.of(
                    manifest.components().get(0).name(), new RestoreTarget(restored.toString())));
        out.println(
            "   restored "
                + Format.bytes(r.bytes())
                + " to "
                + restored
                + " in "
                + Format.duration(r.duration().toMillis()));
      }
      List<String> differences = TreeDiff.diff(sample, restored);
      out.println(
          differences.isEmpty()
              ? "   identical to the source: every file, byte, permission, time and symlink"
              : "   DIFFERENCES: " + differences);

      out.println();
      out.println("4. Backing up again, unchanged: nothing new is stored");
      BackupView second = backup(manager, sample, "second backup");

      out.println();
      out.println("5. Appending a line to one log file, backing up a third time");
      Files.writeString(
          sample.resolve("var/log/myapp/app-1.log"),
          "2026-11-25T04:00:00.000 INFO one more line\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      BackupView third = backup(manager, sample, "third backup");

      out.println();
      out.println("6. Verifying the third backup from storage");
      try (Verifier verifier = new Verifier(repo, 4)) {
        VerifyReport v = verifier.verify(repo.readManifest(third.backupId()));
        out.println(
            "   "
                + v.chunksChecked()
                + " chunks authenticated, "
                + (v.ok() ? "OK" : "DAMAGED: " + v.damaged()));
      }

      out.println();
      out.println("Summary");
      for (BackupView b : List.of(first, second, third)) {
        out.println(
            String.format(
                java.util.Locale.ROOT,
                "  %s  %-8s %9s read  %9s stored  %3d new / %3d deduplicated chunks  %s",
                b.backupId(),
                b.status(),
                Format.bytes(b.sizeBytes()),
                Format.bytes(b.storedBytes()),
                b.newChunks(),
                b.dedupedChunks(),
                Format.duration(b.durationMs())));
      }
      out.println();
      out.println(
          "Try:  ./lifeboat list    ./lifeboat show "
              + third.backupId()
              + "    ./lifeboat verify latest");
      out.println(
          "      ./lifeboat restore latest --to /tmp/restored    (demo files: " + work + ")");
      out.println(
          "Dashboard: ./lifeboat up, then open http://127.0.0.1:"
              + settings.apiPort()
              + "/ (these backups are on it)");
      return differences.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  private BackupView backup(BackupManager manager, Path sample, String what) {
    BackupOutcome o =
        manager.requestAndWait(
            BackupRequest.named("demo")
                .component("files:" + sample)
                .label("purpose", "demo")
                .build(),
            Duration.ofMinutes(10),
            d -> {});
    if (o.timedOut()) {
      throw new IllegalStateException(what + " did not complete within 10 minutes");
    }
    BackupView v =
        o.rejected() != null
            ? BackupView.of(o.rejected())
            : BackupView.of(Objects.requireNonNull(o.completed()));
    out.println(
        "   "
            + what
            + " "
            + v.backupId()
            + ": "
            + v.status()
            + (v.reason() == null ? "" : " (" + v.reason() + ")"));
    out.println(
        "   "
            + Format.bytes(v.sizeBytes())
            + " read, "
            + Format.bytes(v.storedBytes())
            + " stored, "
            + v.newChunks()
            + " new chunks, "
            + v.dedupedChunks()
            + " deduplicated, "
            + String.format(java.util.Locale.ROOT, "%.2fx compression, ", v.compressionRatio())
            + Format.duration(v.durationMs()));
    return v;
  }

  private static BackupView waitForCatalog(CatalogClient catalog, String id)
      throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      var v = catalog.get(id);
      if (v.isPresent() && "SUCCESS".equals(v.get().status())) {
        return v.get();
      }
      Thread.sleep(100);
    }
    return catalog
        .get(id)
        .orElseThrow(() -> new IllegalStateException("backup " + id + " is not in the catalog"));
  }

  private static boolean catalogAnswers(String api) {
    try {
      var http =
          java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(api + "/api/backups?limit=1"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }
}
