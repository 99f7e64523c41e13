package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * The repository on a real, small file system (a 3 MiB tmpfs, where the machine lets the test mount
 * one: as root): the kernel's own "No space left on device" ends the backup FAILED at once with the
 * reason, as the size-limited decorator does in FullStorageIT.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class RealFullDiskIT {

  static Path mount;
  static LocalPipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    mount = Files.createTempDirectory("lifeboat-tmpfs");
    int rc =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start()
            .waitFor();
    Assumptions.assumeTrue(rc == 0, "cannot mount a tmpfs here (not root?)");
    pipeline =
        LocalPipeline.start(
            "tmpfs",
            repoDir -> {
              // the initialised repository moves onto the small file system
              try (Stream<Path> files = Files.list(repoDir)) {
                for (Path f : files.toList()) {
                  Files.copy(f, mount.resolve(f.getFileName()));
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return mount.toString();
            },
            0,
            Map.of("lifeboat.stage.verify.no-progress-timeout", "1h"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (mount != null) {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  @Test
  void noSpaceLeftOnDevice_failsTheBackupAtOnce_withTheReason() throws Exception {
    Path src = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-tmpfs-src");
    byte[] data = new byte[8 * 1024 * 1024];
    new Random(3).nextBytes(data);
    Files.write(src.resolve("big.bin"), data); // 8 MiB, incompressible: does not fit in 3 MiB

    Cli.Result r =
        pipeline.cli(
            "backup", "files:" + src, "--name", "tmpfs", "--wait", "--json", "--timeout", "PT3M");

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(JsonMapper.builder().build().readTree(r.out()).get("reason").asString())
        .contains("the storage is full");
  }
}
