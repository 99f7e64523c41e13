package io.lifeboat.provider.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the config, secrets and logs kinds add to plain folders. */
class TreeKindsTest {

  @TempDir Path dir;

  static byte[] dump(TreeProvider p, String spec, DumpResult[] result) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    result[0] = p.dump(p.parse(spec), out);
    return out.toByteArray();
  }

  @Test
  void config_brokenFiles_areNamedWithTheirParseErrors_andStillBackedUp() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("good.yaml"), "server:\n  port: 8080\n---\nsecond: doc\n");
    Files.writeString(etc.resolve("bad.yaml"), "server:\n  port: [8080\n");
    Files.writeString(etc.resolve("good.json"), "{\"a\": [1, 2]}");
    Files.writeString(etc.resolve("bad.json"), "{\"a\": [1, 2}");
    Files.writeString(etc.resolve("good.toml"), "[server]\nport = 8080\n");
    Files.writeString(etc.resolve("bad.toml"), "[server\nport = 8080\n");
    Files.writeString(etc.resolve("app.properties"), "a=1\nb=\\u12\n");
    Files.writeString(etc.resolve("notes.txt"), "{ not checked");
    DumpResult[] r = new DumpResult[1];

    byte[] stream = dump(new ConfigProvider(), "config:" + etc, r);

    assertThat(r[0].warnings()).hasSize(4);
    assertThat(String.join("\n", r[0].warnings()))
        .contains("bad.yaml: invalid YAML at line")
        .contains("bad.json: invalid JSON at line 1")
        .contains("bad.toml: invalid TOML")
        .contains("app.properties: invalid properties")
        .doesNotContain("good.")
        .doesNotContain("notes.txt");
    assertThat(r[0].metadata()).containsEntry("files", "8").containsEntry("skipped", "0");
    Path target = dir.resolve("restored");
    new ConfigProvider()
        .restore(
            new ByteArrayInputStream(stream),
            new RestoreTarget(target.toString()),
            r[0].metadata());
    assertThat(target.resolve("bad.yaml")).hasContent("server:\n  port: [8080\n");
  }

  @Test
  void secretsFolder_restoresOwnerOnly_andRecordsNamesNotChecksums() throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("run/secrets/db"));
    Files.writeString(secrets.resolve("password"), "hunter2");
    Files.setPosixFilePermissions(
        secrets.resolve("password"), PosixFilePermissions.fromString("rw-r--r--"));
    SecretsProvider p = new SecretsProvider(Map::of);
    DumpResult[] r = new DumpResult[1];

    byte[] stream = dump(p, "secrets:" + dir.resolve("run/secrets"), r);
    Path target = dir.resolve("restored-secrets");
    RestoreTarget t = new RestoreTarget(target.toString());
    p.restore(new ByteArrayInputStream(stream), t, r[0].metadata());

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(target.resolve("db/password"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("db"))))
        .isEqualTo("rwx------");
    assertThat(r[0].metadata())
        .containsEntry("names", "db/password")
        .containsEntry("secretsFrom", "folder");
    assertThat(r[0].metadata().toString()).doesNotContain("hunter2");
    assertThat(p.healthCheck(t, r[0].metadata()).healthy()).isTrue();
  }

  @Test
  void secretsFromEnvironment_becomeAnEnvFile_withNamesOnlyInMetadata() throws Exception {
    Map<String, String> env =
        Map.of("APP_DB_PASSWORD", "it's s3cret", "APP_TOKEN", "multi\nline", "HOME", "/root");
    SecretsProvider p = new SecretsProvider(() -> env);
    ComponentSource source = p.parse("secrets:env:APP_*");
    assertThat(p.check(source)).isEmpty();
    assertThat(p.check(p.parse("secrets:env:NOPE_*")))
        .singleElement()
        .asString()
        .contains("no environment variable");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    DumpResult r = p.dump(source, out);

    assertThat(r.metadata())
        .containsEntry("names", "APP_DB_PASSWORD,APP_TOKEN")
        .containsEntry("count", "2");
    assertThat(r.metadata().toString()).doesNotContain("s3cret");
    Path file = dir.resolve("app.env");
    RestoreTarget t = new RestoreTarget(file.toString());
    p.restore(new ByteArrayInputStream(out.toByteArray()), t, r.metadata());
    assertThat(Files.readString(file))
        .isEqualTo("APP_DB_PASSWORD='it'\\''s s3cret'\nAPP_TOKEN='multi\nline'\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(p.healthCheck(t, r.metadata()).healthy()).isTrue();
  }

  @Test
  void secretsFromEnvironment_neverCaptureLifeboatsOrTheStagesOwnCredentials() throws Exception {
    Map<String, String> env =
        Map.of(
            "LIFEBOAT_MASTER_KEY",
            "bWFzdGVy",
            "AWS_SECRET_ACCESS_KEY",
            "aws",
            "APP_X",
            "1",
            "MY_KEY",
            "2");
    SecretsProvider p = new SecretsProvider(() -> env);

    for (String pattern : List.of("LIFEBOAT_*", "*", "*KEY*", "AWS_SECRET_ACCESS_KEY", "PGPASS*")) {
      assertThatThrownBy(() -> p.parse("secrets:env:" + pattern))
          .as(pattern)
          .isInstanceOf(InvalidSourceException.class)
          .hasMessageContaining("would capture the stage's own credentials");
    }
    assertThat(p.check(p.parse("secrets:env:MY_*"))).isEmpty();
  }

  /**
   * A refusal names the fixed rule it applied, never a variable of the stage's environment: the
   * reason goes into events, the catalog and the audit trail, where whoever asked reads it.
   */
  @Test
  void aRefusal_namesTheRule_neverAVariableOfTheEnvironment() {
    Map<String, String> env =
        Map.of(
            "LIFEBOAT_SECRET_SAUCE_7", "x",
            "AWS_SECRET_ACCESS_KEY", "aws",
            "GCLOUD_HIDDEN_NAME", "g",
            "PGPASSWORD", "pg",
            "APP_X", "1");
    SecretsProvider p = new SecretsProvider(() -> env);
    for (String pattern : List.of("*", "*SAUCE*", "LIFEBOAT_SECRET_*", "GCLOUD_*", "*ACCESS*")) {
      assertThatThrownBy(() -> p.parse("secrets:env:" + pattern))
          .as(pattern)
          .isInstanceOf(InvalidSourceException.class)
          .satisfies(
              e -> {
                String message = e.getMessage().replace("secrets:env:" + pattern, "");
                for (String name : env.keySet()) {
                  if (!SecretsProvider.RESERVED_RULES.contains(name)) {
                    assertThat(message).as(pattern).doesNotContain(name);
                  }
                }
                assertThat(message)
                    .doesNotContain("AWS_ACCESS_KEY_ID")
                    .doesNotContain("LIFEBOAT_MASTER_KEY")
                    .contains("never backed up");
              });
    }
    assertThatThrownBy(() -> p.parse("secrets:env:*SAUCE*"))
        .hasMessageContaining("variables matching LIFEBOAT_*)");
  }

  @Test
  void logs_includeAndExcludeGlobs_selectFiles() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("log/app"));
    Files.writeString(logs.resolve("app.log"), "line\n");
    Files.writeString(logs.resolve("app.log.1.gz"), "old");
    Files.writeString(logs.resolve("debug.txt"), "x");
    Files.createDirectories(logs.resolve("sub"));
    Files.writeString(logs.resolve("sub/worker.log"), "w\n");
    DumpResult[] r = new DumpResult[1];

    byte[] stream =
        dump(new LogsProvider(), "logs:" + logs + "?include=*.log,*.gz&exclude=*.gz", r);
    Path target = dir.resolve("restored-logs");
    new LogsProvider()
        .restore(
            new ByteArrayInputStream(stream),
            new RestoreTarget(target.toString()),
            r[0].metadata());

    try (Stream<Path> s = Files.walk(target)) {
      assertThat(s.filter(Files::isRegularFile).map(p -> target.relativize(p).toString()))
          .containsExactlyInAnyOrder("app.log", "sub/worker.log");
    }
    assertThat(new LogsProvider().parse("logs:" + logs + "?exclude=*.gz").display())
        .isEqualTo("logs:" + logs + "?exclude=*.gz");
  }

  @Test
  void logs_fileGrowingDuringTheBackup_isCutAtItsSizeWhenReached() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("growing"));
    Path log = logs.resolve("app.log");
    String original = "a line of the log that keeps growing\n".repeat(50_000);
    Files.writeString(log, original);
    LogsProvider p = new LogsProvider();
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          boolean appended;

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            if (!appended && len >= 512 * 1024) {
              // the first block of the file's content has been read: the application writes more
              appended = true;
              try {
                Files.writeString(
                    log,
                    "written during the backup\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        };
    DumpResult r = p.dump(p.parse("logs:" + logs), out);
    Path target = dir.resolve("restored-growing");
    p.restore(
        new ByteArrayInputStream(out.toByteArray()),
        new RestoreTarget(target.toString()),
        r.metadata());
    assertThat(Files.readString(log)).endsWith("written during the backup\n");
    assertThat(target.resolve("app.log")).hasContent(original);
  }

  @Test
  void healthCheckAfterARestore_usesTheChecksumsTakenWhileWriting_andStillSeesTheFolderChange()
      throws Exception {
    Path source = io.lifeboat.testkit.TreeFixture.createTrickyTree(dir.resolve("tricky"), 300_000);
    FilesProvider p = new FilesProvider();
    DumpResult[] r = new DumpResult[1];
    byte[] stream = dump(p, "files:" + source, r);

    // the digest computed from the stream while writing equals the one recorded at dump time
    RestoreTarget t = new RestoreTarget(dir.resolve("restored").toString());
    p.restore(new ByteArrayInputStream(stream), t, r[0].metadata());
    var health = p.healthCheck(t, r[0].metadata());
    assertThat(health.problems()).isEmpty();
    assertThat(String.join("\n", health.checks())).contains("tree digest").contains("matches");

    // a file changed between the restore and its check: the walk of the folder sees it
    RestoreTarget t2 = new RestoreTarget(dir.resolve("restored-2").toString());
    p.restore(new ByteArrayInputStream(stream), t2, r[0].metadata());
    Files.writeString(dir.resolve("restored-2/docs/readme.txt"), "edited after the restore");
    assertThat(p.healthCheck(t2, r[0].metadata()).problems())
        .anyMatch(m -> m.contains("differs from what the restore wrote"));

    // a check without the restore before it (another process restored) reads the tree back
    var fresh = new FilesProvider().healthCheck(t, r[0].metadata());
    assertThat(fresh.problems()).isEmpty();
    Files.writeString(dir.resolve("restored/docs/readme.txt"), "edited after the restore");
    assertThat(new FilesProvider().healthCheck(t, r[0].metadata()).healthy()).isFalse();
  }
}
