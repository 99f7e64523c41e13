package io.lifeboat.provider.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentProviderContractTest;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.testkit.TreeFixture;
import io.lifeboat.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesProviderTest extends ComponentProviderContractTest {

  @TempDir Path dir;
  int n;
  final FilesProvider files = new FilesProvider();

  @Override
  protected ComponentProvider provider() {
    return files;
  }

  @Override
  protected String newSource() throws Exception {
    return "files:" + TreeFixture.createTrickyTree(dir.resolve("source-" + n++), 300_000);
  }

  @Override
  protected String newTarget() {
    return dir.resolve("target-" + n++).toString();
  }

  @Override
  protected String occupiedTarget() throws Exception {
    Path p = dir.resolve("occupied-" + n++);
    Files.createDirectories(p);
    Files.writeString(p.resolve("existing.txt"), "keep");
    return p.toString();
  }

  @Override
  protected String missingSource() {
    return "files:" + dir.resolve("missing");
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    TreeSnapshot source = TreeSnapshot.of(Path.of(sourceSpec.substring("files:".length())));
    TreeSnapshot target = TreeSnapshot.of(Path.of(targetSpec));
    assertThat(source.diff(target)).isEmpty();
    assertThat(source.entries()).containsKeys("empty-dir", "dangling-link", "ünïcödé/日本語のファイル.txt");
  }

  @Override
  protected Object describe(String targetSpec) throws Exception {
    Path p = Path.of(targetSpec);
    return Files.exists(p) ? TreeSnapshot.of(p) : "absent";
  }

  @Override
  protected void damage(String targetSpec) throws Exception {
    Files.writeString(Path.of(targetSpec).resolve("docs/readme.txt"), "edited after the restore");
  }

  @Test
  void secondBackup_ofUnchangedTree_storesNoNewChunkAtAll() throws Exception {
    String source = newSource();
    io.lifeboat.core.testing.DirectBackup.run(repository, files, source, "b-1");
    assertThat(
            io.lifeboat.core.testing.DirectBackup.run(repository, files, source, "b-2")
                .dump()
                .newChunkCount())
        .isZero();
  }

  @Test
  void parse_relativePath_isRefused() {
    assertThatThrownBy(() -> files.parse("files:relative/dir"))
        .hasMessageContaining("absolute path");
  }

  @Test
  void dump_reportsCounts() throws Exception {
    String spec = newSource();
    var result = files.dump(files.parse(spec), new ByteArrayOutputStream());
    assertThat(result.metadata())
        .containsEntry("symlinks", "4")
        .containsEntry("skipped", "0")
        .containsKey("treeDigest");
    assertThat(Long.parseLong(result.metadata().get("files"))).isGreaterThan(150);
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void singleFile_restoresIntoFolder() throws Exception {
    Path file = dir.resolve("one.txt");
    Files.writeString(file, "just me");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.dump(files.parse("files:" + file), out);
    Path target = dir.resolve("restored");
    files.restore(
        new ByteArrayInputStream(out.toByteArray()),
        new RestoreTarget(target.toString()),
        Map.of());
    assertThat(target.resolve("one.txt")).hasContent("just me");
  }

  @Test
  void aMerge_leavesTheFoldersThatWereThere_withTheirModes() throws Exception {
    Path source = Files.createDirectories(dir.resolve("open"));
    Files.createDirectories(source.resolve("conf"));
    Files.writeString(source.resolve("conf/app.yaml"), "port: 1\n");
    Files.setPosixFilePermissions(
        source, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        source.resolve("conf"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.dump(files.parse("files:" + source), out);
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.createDirectories(home.resolve("conf"));
    for (Path p : new Path[] {home, home.resolve("conf")}) {
      Files.setPosixFilePermissions(
          p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    files.restore(
        new ByteArrayInputStream(out.toByteArray()),
        new RestoreTarget(home.toString(), RestoreTarget.Occupied.MERGE),
        Map.of());

    assertThat(home.resolve("conf/app.yaml")).hasContent("port: 1\n");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home)))
        .isEqualTo("rwx------");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("conf"))))
        .isEqualTo("rwx------");
    // a fresh target gets the recorded modes
    Path fresh = dir.resolve("fresh");
    files.restore(
        new ByteArrayInputStream(out.toByteArray()), new RestoreTarget(fresh.toString()), Map.of());
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fresh)))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void restore_refusesPathsEscapingTheTarget() throws Exception {
    for (String evil : new String[] {"../escaped.txt", "/etc/evil", "a/../../x"}) {
      byte[] stream = tarWith(evil, TarConstants.LF_NORMAL, null);
      Path target = dir.resolve("t-" + n++);
      assertThatThrownBy(
              () ->
                  files.restore(
                      new ByteArrayInputStream(stream),
                      new RestoreTarget(target.toString()),
                      Map.of()))
          .as(evil)
          .hasMessageContaining("unsafe path");
    }
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void restore_refusesWritingThroughASymlink() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry link = new TarArchiveEntry("sneaky", TarConstants.LF_SYMLINK);
      link.setLinkName(outside.toString());
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      byte[] data = "pwned".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("sneaky/file.txt");
      file.setSize(data.length);
      tar.putArchiveEntry(file);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    Path target = dir.resolve("t-link");
    assertThatThrownBy(
            () ->
                files.restore(
                    new ByteArrayInputStream(out.toByteArray()),
                    new RestoreTarget(target.toString()),
                    Map.of()))
        .hasMessageContaining("through symlink");
    assertThat(outside.resolve("file.txt")).doesNotExist();
  }

  private static byte[] tarWith(String name, byte type, String link) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry e = new TarArchiveEntry(name, type, true);
      e.setSize(1);
      tar.putArchiveEntry(e);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }
}
