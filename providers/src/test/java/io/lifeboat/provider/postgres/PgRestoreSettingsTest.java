package io.lifeboat.provider.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restored cluster's configuration may no longer do (issue 29's review). */
class PgRestoreSettingsTest {

  @TempDir Path dir;

  @Test
  void theBackupsConfiguration_pointsNowhereElse_andPullsInNothing() throws Exception {
    Path conf = dir.resolve("postgresql.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "shared_buffers = 128MB",
            "data_directory = '/srv/x/sub'",
            "  Include 'evil.conf'",
            "include_dir 'conf.d'",
            "hba_file = '/etc/trusting_hba.conf'",
            ""));

    PgDataDirectory.sanitizeConfig(conf);

    assertThat(Files.readAllLines(conf))
        .contains("shared_buffers = 128MB")
        .filteredOn(l -> !l.startsWith("#"))
        .noneMatch(l -> l.toLowerCase().contains("include") || l.contains("data_directory"))
        .noneMatch(l -> l.contains("hba_file"));
  }

  @Test
  void lifeboatsLastWord_emptiesEveryCommandAndLibrary() {
    assertThat(PgDataDirectory.neutralized(dir))
        .contains(
            "shared_preload_libraries = ''",
            "session_preload_libraries = ''",
            "archive_command = ''",
            "recovery_end_command = ''",
            "ssl_passphrase_command = ''",
            "data_directory = '" + dir + "'");
  }
}
