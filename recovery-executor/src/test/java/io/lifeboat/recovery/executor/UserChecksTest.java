package io.lifeboat.recovery.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.events.CheckSpec;
import io.lifeboat.events.CheckType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserChecksTest {

  static CheckSpec command(String script) {
    return CheckSpec.newBuilder()
        .setName("c")
        .setType(CheckType.COMMAND)
        .setCommand(List.of(script))
        .build();
  }

  @Test
  void aCommandCheck_runsWithAnEmptyEnvironment_butItsTargets() {
    UserChecks checks = new UserChecks(ProviderRegistry.of(), CommandCheckPolicy.ENABLED);

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
    UserChecks checks = new UserChecks(ProviderRegistry.of(), CommandCheckPolicy.DISABLED);

    assertThat(checks.problems(command("true"), Map.of()))
        .singleElement()
        .asString()
        .contains("command checks are disabled in this executor");
    UserChecks.Outcome run =
        checks.run(command("touch /tmp/lifeboat-should-not-exist"), Map.of(), Map.of());
    assertThat(run.passed()).isFalse();
    assertThat(run.message()).contains("disabled");
    assertThat(java.nio.file.Path.of("/tmp/lifeboat-should-not-exist")).doesNotExist();
  }
}
