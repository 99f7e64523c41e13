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
        roles,
        name -> name.equals("lifeboat.kafka.credentials-dir") ? "/opt/lifeboat-creds/kafka" : null);
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
      assertThat(problems(roles, "files:" + secret)).as(secret).isNotEmpty();
    }
    // a folder holding one is refused too (back up the folders beside it), and so is / or /home
    assertThat(problems(roles, "files:/etc"))
        .anySatisfy(p -> assertThat(p).contains("contains /etc/shadow"));
    assertThat(problems(roles, "files:/home"))
        .anySatisfy(p -> assertThat(p).contains("outside the folders"));
    assertThat(problems(roles, "files:/")).isNotEmpty();
    assertThat(problems(roles, "config:/etc/myapp")).isEmpty();
    assertThat(problems(roles, "files:/srv/shop")).isEmpty();
    assertThat(problems(roles, "logs:/var/log/app?include=*.log")).isEmpty();
  }

  @Test
  void singleMode_keepsTheWholeFileSystem_andConfiguredRootsWinInBothModes() throws Exception {
    SourcePolicy single = policy(null, false);
    assertThat(single.roots()).extracting(Path::toString).containsExactly("/");
    assertThat(problems(single, "files:/home/app")).isEmpty();
    assertThat(problems(single, "files:/etc")).isEmpty();

    SourcePolicy configured = policy(List.of("/home", "/etc"), true);
    assertThat(configured.roots()).extracting(Path::toString).containsExactly("/home", "/etc");
    assertThat(problems(configured, "files:/home/app")).isEmpty();
    // what roles mode denies stays denied under a configured root
    assertThat(problems(configured, "files:/etc/shadow")).isNotEmpty();
    assertThat(
            policy(List.of("/"), false)
                .problems(
                    "files:/root/notes",
                    io.lifeboat.core.provider.ProviderRegistry.standard()
                        .forSpec("files:/root/notes")))
        .isEmpty();
  }

  /**
   * Every spelling a provider reads the same way is judged the same way: a third slash, the
   * postgresql scheme, a repeated or encoded passwordFile (issue 29's review).
   */
  @Test
  void theSpecIsJudgedAsItsProviderReadsIt() throws Exception {
    SourcePolicy roles = policy(null, true);
    assertThat(problems(roles, "files:///etc/shadow")).isNotEmpty();
    assertThat(problems(roles, "config://etc/shadow")).isEmpty(); // relative: the provider refuses
    Path home = roles.denied().get(0);
    String key = home.resolve("key").toString();
    for (String spec :
        List.of(
            "postgresql://u@attacker.example/db?passwordFile=" + key,
            "postgres://u@attacker.example/db?passwordFile="
                + home.resolve("passwords/ok")
                + "&passwordFile="
                + key,
            "postgres://u@attacker.example/db?passwordFil%65=" + key,
            "redis://attacker.example:6379/0?passwordFile=" + key)) {
      assertThat(problems(roles, spec))
          .as(spec)
          .anyMatch(p -> p.contains("password files are read only from"));
    }
  }

  @Test
  void lifeboatsOwnFiles_configuredOutsideTheHome_areNeverSources() throws Exception {
    SourcePolicy roles = policy(null, true);
    assertThat(problems(roles, "config:/opt/lifeboat-creds/kafka"))
        .anyMatch(p -> p.contains("lies inside /opt/lifeboat-creds/kafka"));
    assertThat(problems(roles, "config:/opt/lifeboat-creds")).anyMatch(p -> p.contains("contains"));
  }

  static java.util.List<String> problems(SourcePolicy policy, String spec) {
    try {
      return policy.problems(
          spec, io.lifeboat.core.provider.ProviderRegistry.standard().forSpec(spec));
    } catch (io.lifeboat.core.provider.InvalidSourceException e) {
      throw new AssertionError(e);
    }
  }
}
