package io.lifeboat.provider.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.testkit.Eventually;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore into an existing folder ({@code --force}) that holds a folder another user owns: that
 * user swaps a subfolder of it for a link to somewhere else, again and again, while the restore
 * writes. The restore must write nothing outside its target. It is refused before it writes.
 */
class RestoreRaceTest {

  static final int NOBODY = 65534;

  @TempDir Path dir;

  @Test
  void aFolderSwappedForALinkMidRestore_getsNothingWrittenOutsideTheTarget() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root, to give a folder to another user");
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv"))
            && Files.isExecutable(Path.of("/usr/bin/setsid")),
        "needs setpriv and setsid (util-linux)");
    FilesProvider files = new FilesProvider();
    Path source = Files.createDirectories(dir.resolve("source/shared/sub"));
    for (int i = 0; i < 200; i++) {
      Files.writeString(source.resolve("file-" + i + ".txt"), "restored data " + i + "\n");
    }
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    files.dump(files.parse("files:" + dir.resolve("source")), stream);

    Path target = Files.createDirectories(dir.resolve("target"));
    Path shared = Files.createDirectories(target.resolve("shared/sub"));
    Files.setAttribute(shared.getParent(), "unix:uid", NOBODY);
    Files.setAttribute(shared, "unix:uid", NOBODY);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.setAttribute(outside, "unix:uid", NOBODY);
    Files.setAttribute(dir, "unix:mode", 0755);
    // the other user swaps shared/sub for a link to "outside" and back, as fast as it can
    Process attacker =
        new ProcessBuilder(
                List.of(
                    "setsid", // its own process group, so that stopping it stops its mv and ln too
                    "setpriv",
                    "--reuid=" + NOBODY,
                    "--regid=" + NOBODY,
                    "--clear-groups",
                    "sh",
                    "-c",
                    "cd '"
                        + target.resolve("shared")
                        + "' && while :; do mv sub sub.real && ln -s '"
                        + outside
                        + "' sub; rm -f sub; mv sub.real sub; done"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      Thread.sleep(200); // let it race (the outcome does not depend on how fast it is)
      assertThatThrownBy(
              () ->
                  files.restore(
                      new ByteArrayInputStream(stream.toByteArray()),
                      new RestoreTarget(target.toString(), RestoreTarget.Occupied.MERGE),
                      Map.of()))
          .hasMessageContaining("refusing to restore into")
          .hasMessageContaining("belongs to another user");
    } finally {
      stopGroup(attacker);
    }
    try (Stream<Path> written = Files.list(outside)) {
      assertThat(written.toList()).as("files written outside the target").isEmpty();
    }
  }

  /**
   * Kills the attacker's whole process group and waits until none of it is left. Killing only the
   * shell left an mv or ln it had started running on, and that one could still change the folder
   * while JUnit deleted it ("Failed to delete temp directory", about one run in ten).
   */
  static void stopGroup(Process leader) throws Exception {
    long group = leader.pid(); // setsid made it the leader of a group of its own
    new ProcessBuilder("kill", "-KILL", "--", "-" + group).start().waitFor(10, TimeUnit.SECONDS);
    leader.waitFor(10, TimeUnit.SECONDS);
    Eventually.until("the other user's processes to be gone", () -> groupMembers(group) == 0);
  }

  /** How many processes are in process group {@code group} (field 5 of /proc/PID/stat). */
  static long groupMembers(long group) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .map(p -> p.resolve("stat"))
          .filter(
              stat -> {
                try {
                  String s = Files.readString(stat);
                  String[] after = s.substring(s.lastIndexOf(')') + 2).split(" ");
                  return Long.parseLong(after[2]) == group;
                } catch (IOException | RuntimeException e) {
                  return false; // gone meanwhile
                }
              })
          .count();
    }
  }

  @Test
  void aFolderWritableByEveryone_isRefusedToo_butAPrivateOneIsRestoredInto() throws Exception {
    FilesProvider files = new FilesProvider();
    Path source = Files.createDirectories(dir.resolve("source/a"));
    Files.writeString(source.resolve("f.txt"), "x");
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    files.dump(files.parse("files:" + dir.resolve("source")), stream);
    Path target = Files.createDirectories(dir.resolve("target/a"));
    Files.setAttribute(target, "unix:mode", 0777);

    assertThatThrownBy(
            () ->
                files.restore(
                    new ByteArrayInputStream(stream.toByteArray()),
                    new RestoreTarget(target.getParent().toString(), RestoreTarget.Occupied.MERGE),
                    Map.of()))
        .hasMessageContaining("is writable by other users");

    Files.setAttribute(target, "unix:mode", 0755);
    files.restore(
        new ByteArrayInputStream(stream.toByteArray()),
        new RestoreTarget(target.getParent().toString(), RestoreTarget.Occupied.MERGE),
        Map.of());
    assertThat(target.resolve("f.txt")).hasContent("x");
  }
}
