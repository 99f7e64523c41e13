package io.lifeboat.recovery.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.model.RecoveryPlanSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

  static Map<String, Planner.Resolved> resolved() {
    return Map.of(
        "db", new Planner.Resolved("postgres", "b-1", 1000, "postgres://h/db"),
        "config", new Planner.Resolved("config", "b-1", 10, "/t/config"),
        "secrets", new Planner.Resolved("secrets", "b-1", 10, "/t/secrets"),
        "assets", new Planner.Resolved("files", "b-1", 10, "/t/assets"));
  }

  @Test
  void groupOrder_secretsThenConfigThenFilesThenDatabases_whateverThePlanOrder() {
    RecoveryPlanSpec plan =
        RecoveryPlanSpec.parse(
            """
        name: p
        components:
          - {name: db, target: postgres://h/db}
          - {name: assets, target: /t/assets}
          - {name: config, target: /t/config}
          - {name: secrets, target: /t/secrets}
        """);
    assertThat(Planner.restoreOrder(plan, resolved()))
        .containsExactly("secrets", "config", "assets", "db");
  }

  @Test
  void anExplicitAfter_winsOverTheGroupOrder_withoutMakingACycle() {
    // secrets after db: the group order (secrets, config, db) would close a cycle; it gives way
    // where it must
    RecoveryPlanSpec plan =
        RecoveryPlanSpec.parse(
            """
        name: p
        components:
          - {name: secrets, target: /t/secrets, after: [db]}
          - {name: config, target: /t/config}
          - {name: db, target: postgres://h/db}
        """);
    assertThat(plan.problems()).isEmpty();
    Map<String, Planner.Resolved> r = resolved();
    assertThat(Planner.restoreOrder(plan, r)).containsExactly("db", "secrets", "config");
    assertThat(Planner.dependencies(plan, r).get("secrets")).contains("db");
  }
}
