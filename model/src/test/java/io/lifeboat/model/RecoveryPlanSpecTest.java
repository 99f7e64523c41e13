package io.lifeboat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryPlanSpecTest {

  static final String YAML =
      """
      name: shop
      environment: production
      rto: 15m
      rpo: 1d
      at: 2026-11-20T03:00Z
      components:
        - name: secrets
          target: /srv/shop/secrets
        - name: db
          target: postgres://postgres@127.0.0.1:5432/shop
          ifExists: replace
          after: [secrets]
      checks:
        - name: orders
          sql: select count(*) from orders
          component: db
          expect: 200
        - name: api
          http: http://127.0.0.1:8080/health
        - name: config-parses
          command: test -s "$LIFEBOAT_TARGET_SECRETS/token"
          timeout: 90s
      """;

  @Test
  void yaml_isRead_andRoundTripsThroughJson() {
    RecoveryPlanSpec plan = RecoveryPlanSpec.parse(YAML);

    assertThat(plan.problems()).isEmpty();
    assertThat(plan.rtoObjective()).contains(Duration.ofMinutes(15));
    assertThat(plan.rpoObjective()).contains(Duration.ofHours(24));
    assertThat(plan.pointInTime()).contains(Instant.parse("2026-11-20T03:00:00Z"));
    assertThat(plan.components())
        .extracting(RecoveryPlanSpec.ComponentTarget::name)
        .containsExactly("secrets", "db");
    assertThat(plan.checks().get(0).expect()).isEqualTo("200");
    assertThat(plan.checks().get(0).runsInTest()).isTrue();
    assertThat(plan.checks().get(1).runsInTest())
        .as("http checks skip recovery tests by default")
        .isFalse();
    assertThat(plan.checks().get(2).command())
        .containsExactly("test -s \"$LIFEBOAT_TARGET_SECRETS/token\"");
    assertThat(plan.checks().get(2).timeoutOrDefault()).isEqualTo(Duration.ofSeconds(90));
    assertThat(RecoveryPlanSpec.parse(plan.toJson())).isEqualTo(plan);
  }

  @Test
  void problems_listsEveryProblemAtOnce() {
    RecoveryPlanSpec plan =
        RecoveryPlanSpec.parse(
            """
        name: "bad name"
        backup: b-1
        at: yesterday
        rto: soon
        components:
          - name: db
            target: postgres://app:hunter2@db/shop
            ifExists: overwrite
            after: [cache]
          - name: db
            target: ""
        checks:
          - name: both
            sql: select 1
            http: http://x
          - name: orphan
            sql: select 1
            component: nothere
        """);

    assertThat(plan.problems())
        .anyMatch(p -> p.contains("plan name 'bad name'"))
        .anyMatch(p -> p.contains("either backup or at"))
        .anyMatch(p -> p.contains("'yesterday' is not a point in time"))
        .anyMatch(p -> p.contains("rto: 'soon' is not a duration"))
        .anyMatch(p -> p.contains("the target carries a password"))
        .anyMatch(p -> p.contains("ifExists must be replace, refuse or merge"))
        .anyMatch(p -> p.contains("unknown component 'cache'"))
        .anyMatch(p -> p.contains("component db is listed twice"))
        .anyMatch(p -> p.contains("target is missing"))
        .anyMatch(p -> p.contains("check both: give exactly one of sql, http, command"))
        .anyMatch(p -> p.contains("check orphan: a sql check names the component"))
        .noneMatch(p -> p.contains("hunter2"));
  }

  @Test
  void aDependencyCycle_isAProblem() {
    RecoveryPlanSpec plan =
        new RecoveryPlanSpec(
            "p",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(
                new RecoveryPlanSpec.ComponentTarget("a", "/a", null, null, List.of("b"), null),
                new RecoveryPlanSpec.ComponentTarget("b", "/b", null, null, List.of("a"), null)),
            null);

    assertThat(plan.problems()).anyMatch(p -> p.contains("cycle"));
  }

  @Test
  void unknownFields_andBrokenYaml_sayWhatIsWrong() {
    assertThatThrownBy(() -> RecoveryPlanSpec.parse("name: x\ncomponentz: []\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("componentz");
    assertThatThrownBy(() -> RecoveryPlanSpec.parse("name: [x\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the plan");
  }

  @Test
  void durations() {
    assertThat(RecoveryPlanSpec.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(RecoveryPlanSpec.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(RecoveryPlanSpec.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> RecoveryPlanSpec.parseDuration(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
