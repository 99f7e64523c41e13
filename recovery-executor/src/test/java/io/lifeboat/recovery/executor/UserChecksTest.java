package io.lifeboat.recovery.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.CheckLogin;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.events.CheckSpec;
import io.lifeboat.events.CheckType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserChecksTest {

  static ExecutorPolicy policy(CommandCheckPolicy commands, Set<String> checkHosts) {
    return new ExecutorPolicy(
        new TargetPolicy(List.of(), List.of(), null, TargetPolicy.Production.of(t -> false), null),
        commands,
        new CheckLogin("lifeboat_check", null),
        checkHosts,
        ExecutorPolicy.Refusals.NONE);
  }

  static CheckSpec http(String url) {
    return CheckSpec.newBuilder()
        .setName("h")
        .setType(CheckType.HTTP)
        .setHttp(url)
        .setExpectStatus(200)
        .setTimeoutMs(2000)
        .build();
  }

  static CheckSpec command(String script) {
    return CheckSpec.newBuilder()
        .setName("c")
        .setType(CheckType.COMMAND)
        .setCommand(List.of(script))
        .build();
  }

  @Test
  void aCommandCheck_runsWithAnEmptyEnvironment_butItsTargets() {
    UserChecks checks =
        new UserChecks(ProviderRegistry.of(), policy(CommandCheckPolicy.ENABLED, Set.of()));

    UserChecks.Outcome env =
        checks.run(
            command("env | cut -d= -f1 | sort | tr '\\n' ' '"),
            Map.of("db", "postgres://x/y"),
            Map.of());

    assertThat(env.passed()).as(env.message()).isTrue();
    assertThat(env.message())
        .contains("HOME")
        .contains("LANG")
        .contains("PATH")
        .contains("LIFEBOAT_TARGET_DB")
        .doesNotContain("LIFEBOAT_MASTER_KEY")
        .doesNotContain("JAVA_HOME")
        .doesNotContain("USER ");
  }

  @Test
  void commandChecks_areOffUnlessTheExecutorEnablesThem() {
    UserChecks checks =
        new UserChecks(ProviderRegistry.of(), policy(CommandCheckPolicy.DISABLED, Set.of()));

    assertThat(checks.problems(command("true"), Map.of(), Map.of()))
        .singleElement()
        .asString()
        .contains("command checks are disabled in this executor");
    UserChecks.Outcome run =
        checks.run(command("touch /tmp/lifeboat-should-not-exist"), Map.of(), Map.of());
    assertThat(run.passed()).isFalse();
    assertThat(run.message()).contains("disabled");
    assertThat(java.nio.file.Path.of("/tmp/lifeboat-should-not-exist")).doesNotExist();
  }

  @Test
  void httpChecks_reachOnlyTheRecoverysDatabaseHostsAndTheConfiguredOnes() throws Exception {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger hits =
        new java.util.concurrent.atomic.AtomicInteger();
    server.createContext(
        "/",
        x -> {
          hits.incrementAndGet();
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
      UserChecks none =
          new UserChecks(ProviderRegistry.of(), policy(CommandCheckPolicy.DISABLED, Set.of()));
      // no database target on that host, none configured: refused at validation and at run time
      assertThat(none.problems(http(url), Map.of(), Map.of("files", "/srv/app")))
          .singleElement()
          .asString()
          .contains("host 127.0.0.1 is not one HTTP checks may reach");
      UserChecks.Outcome refused = none.run(http(url), Map.of("files", "/srv/app"), Map.of());
      assertThat(refused.passed()).isFalse();
      assertThat(refused.message()).startsWith("not run: host 127.0.0.1");
      assertThat(hits).hasValue(0);

      // a database target on the host, or the host configured: allowed
      assertThat(none.problems(http(url), Map.of(), Map.of("db", "postgres://u@127.0.0.1/shop")))
          .isEmpty();
      UserChecks configured =
          new UserChecks(
              ProviderRegistry.of(), policy(CommandCheckPolicy.DISABLED, Set.of("127.0.0.1")));
      UserChecks.Outcome ok = configured.run(http(url), Map.of(), Map.of());
      assertThat(ok.passed()).as(ok.message()).isTrue();
      assertThat(hits).hasValue(1);

      // credentials in the URL: never sent
      assertThat(
              configured.problems(
                  http("http://u:pw@127.0.0.1:" + server.getAddress().getPort() + "/"),
                  Map.of(),
                  Map.of()))
          .singleElement()
          .asString()
          .contains("carries a user or password");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aValueThatIsNotTheExpectedOne_isShownNoLongerThanTheExpectedOne() {
    assertThat(UserChecks.shown("0", "1")).isEqualTo("0");
    assertThat(UserChecks.shown("root:x:0:0:root:/root:/bin/bash", "ok"))
        .isEqualTo("ro... (31 characters)");
    assertThat(UserChecks.shown("(no rows)", "1")).isEqualTo("(no rows)");
    assertThat(UserChecks.firstLine("ERROR: x\nDetail: secret")).isEqualTo("ERROR: x");
    assertThat(
            UserChecks.firstLine(
                "ERROR: invalid input syntax for type integer: \"root:x:0:0:root:/root\""))
        .isEqualTo("ERROR: invalid input syntax for type integer: \"...\"");
    assertThat(UserChecks.firstLine("ERROR: relation \"orders\" does not exist"))
        .isEqualTo("ERROR: relation \"...\" does not exist");
  }
}
