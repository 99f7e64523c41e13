package io.lifeboat.stage.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.storage.RepositoryProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the dump stage may read when {@code source-roots} is not configured: the whole file system
 * in single mode; in roles mode the folders applications keep their configuration, data and logs
 * in, and never the machine's credentials (an operator token must not back up /etc/shadow).
 */
class SourceDefaultsTest {

  static SourcePolicy policy(List<String> roots, boolean roles) throws Exception {
    Path home = Files.createTempDirectory("lifeboat-home");
    return DumpStageConfiguration.sourcePolicy(
        new DumpStageProperties(2, 360, "none", roots, List.of(), null),
        new LifeboatProperties(
            home.toString(),
            new LifeboatProperties.Kafka("localhost:9092", (short) 1, Map.of(), null, true)),
        new RepositoryProperties(
            home.resolve("repository").toString(),
            List.of(),
            home.resolve("key").toString(),
            true,
            Duration.ofMinutes(5)),
        roles);
  }

  @Test
  void rolesMode_readsApplicationFoldersOnly_andNeverTheMachinesCredentials() throws Exception {
    SourcePolicy roles = policy(null, true);
    assertThat(roles.roots())
        .extracting(Path::toString)
        .containsExactly("/etc", "/srv", "/opt", "/var/lib", "/var/log", "/var/backups", "/tmp");
    for (String secret :
        List.of(
            "/etc/shadow",
            "/etc/gshadow",
            "/etc/sudoers",
            "/etc/sudoers.d/90-cloud",
            "/etc/ssh",
            "/etc/ssh/ssh_host_ed25519_key",
            "/etc/ssl/private",
            "/root",
            "/root/.ssh")) {
      assertThat(roles.problems("files:" + secret, true)).as(secret).isNotEmpty();
    }
    // a folder holding one is refused too (back up the folders beside it), and so is / or /home
    assertThat(roles.problems("files:/etc", true))
        .anySatisfy(p -> assertThat(p).contains("contains /etc/shadow"));
    assertThat(roles.problems("files:/home", true))
        .anySatisfy(p -> assertThat(p).contains("outside the folders"));
    assertThat(roles.problems("files:/", true)).isNotEmpty();
    assertThat(roles.problems("config:/etc/myapp", true)).isEmpty();
    assertThat(roles.problems("files:/srv/shop", true)).isEmpty();
    assertThat(roles.problems("logs:/var/log/app?include=*.log", true)).isEmpty();
  }

  @Test
  void singleMode_keepsTheWholeFileSystem_andConfiguredRootsWinInBothModes() throws Exception {
    SourcePolicy single = policy(null, false);
    assertThat(single.roots()).extracting(Path::toString).containsExactly("/");
    assertThat(single.problems("files:/home/app", true)).isEmpty();
    assertThat(single.problems("files:/etc", true)).isEmpty();

    SourcePolicy configured = policy(List.of("/home", "/etc"), true);
    assertThat(configured.roots()).extracting(Path::toString).containsExactly("/home", "/etc");
    assertThat(configured.problems("files:/home/app", true)).isEmpty();
    // what roles mode denies stays denied under a configured root
    assertThat(configured.problems("files:/etc/shadow", true)).isNotEmpty();
    assertThat(policy(List.of("/"), false).problems("files:/root/notes", true)).isEmpty();
  }
}
