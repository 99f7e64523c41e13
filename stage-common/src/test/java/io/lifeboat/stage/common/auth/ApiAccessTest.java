package io.lifeboat.stage.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiAccessTest {

  @TempDir Path dir;

  @Test
  void singleMode_theOneTokenIsTheAdminApi_andNothingElseAuthenticates() {
    ApiAccess access = new ApiAccess(ApiAccess.Mode.SINGLE, "s3cret", null, List.of(), List.of());
    assertThat(access.authenticate("Bearer s3cret", "127.0.0.1"))
        .contains(new Actor("api", Role.ADMIN, "api-token", "127.0.0.1"));
    assertThat(access.authenticate("Bearer other", "127.0.0.1")).isEmpty();
    assertThat(access.authenticate("Basic s3cret", "127.0.0.1")).isEmpty();
    assertThat(access.authenticate(null, "127.0.0.1")).isEmpty();
    assertThat(access.readsNeedToken()).isFalse();
    assertThat(
            new ApiAccess(ApiAccess.Mode.SINGLE, null, null, List.of(), List.of())
                .changesPossible())
        .isFalse();
  }

  @Test
  void rolesMode_namedTokensCarryTheirRole_andReadsNeedOne() {
    TokenStore tokens = new TokenStore(dir.resolve("api-tokens"));
    String viewer = tokens.add("vera", Role.VIEWER).token();
    ApiAccess access = new ApiAccess(ApiAccess.Mode.ROLES, "s3cret", tokens, List.of(), List.of());

    Actor vera = access.authenticate("Bearer " + viewer, "10.0.0.5").orElseThrow();
    assertThat(vera.name()).isEqualTo("vera");
    assertThat(vera.may(Role.VIEWER)).isTrue();
    assertThat(vera.may(Role.OPERATOR)).isFalse();
    assertThat(access.authenticate("Bearer s3cret", "x").orElseThrow().role())
        .isEqualTo(Role.ADMIN);
    assertThat(access.readsNeedToken()).isTrue();
  }

  @Test
  void production_byEnvironmentName_orByTargetGlob() {
    ApiAccess access =
        new ApiAccess(
            ApiAccess.Mode.ROLES,
            null,
            null,
            List.of("production", "prod"),
            List.of("postgres://db-prod*", "/srv/prod/**"));
    assertThat(access.production("Production", List.of())).isTrue();
    assertThat(access.production("staging", List.of("/srv/staging/app"))).isFalse();
    assertThat(access.production(null, List.of("postgres://db-prod.internal:5432/app"))).isTrue();
    assertThat(access.production(null, List.of("postgres://db-staging:5432/app"))).isFalse();
    assertThat(access.production(null, List.of("/srv/prod/app/config"))).isTrue();
    assertThat(access.production(null, List.of("/srv/production-like"))).isFalse();
  }

  @Test
  void everyChangingRoute_hasItsOperation_andAnUnknownChangeNeedsAdmin() {
    assertThat(ApiRoutes.classify("GET", "/api/backups/x")).isEqualTo(route(Operation.READ, ""));
    assertThat(ApiRoutes.classify("POST", "/api/backups")).isEqualTo(route(Operation.BACKUP, ""));
    assertThat(ApiRoutes.classify("POST", "/api/backups/b-1/cancel"))
        .isEqualTo(route(Operation.CANCEL, "b-1"));
    assertThat(ApiRoutes.classify("POST", "/api/backups/b-1/verify"))
        .isEqualTo(route(Operation.VERIFY, "b-1"));
    assertThat(ApiRoutes.classify("POST", "/api/backups/b-1/restore"))
        .isEqualTo(route(Operation.RESTORE, "b-1"));
    assertThat(ApiRoutes.classify("DELETE", "/api/backups/b%201"))
        .isEqualTo(route(Operation.DELETE, "b 1"));
    assertThat(ApiRoutes.classify("POST", "/api/plans"))
        .isEqualTo(route(Operation.PLAN_DEFINE, ""));
    assertThat(ApiRoutes.classify("POST", "/api/plans/p/deprecate"))
        .isEqualTo(route(Operation.PLAN_DEFINE, "p"));
    assertThat(ApiRoutes.classify("DELETE", "/api/plans/p"))
        .isEqualTo(route(Operation.PLAN_DELETE, "p"));
    assertThat(ApiRoutes.classify("POST", "/api/plans/p/executions"))
        .isEqualTo(route(Operation.RECOVER, "p"));
    assertThat(ApiRoutes.classify("POST", "/api/recoveries/e-1/rollback"))
        .isEqualTo(route(Operation.ROLLBACK, "e-1"));
    assertThat(ApiRoutes.classify("POST", "/api/schedules"))
        .isEqualTo(route(Operation.SCHEDULE_DEFINE, ""));
    assertThat(ApiRoutes.classify("DELETE", "/api/schedules/nightly"))
        .isEqualTo(route(Operation.SCHEDULE_DELETE, "nightly"));
    assertThat(ApiRoutes.classify("PUT", "/api/backups/b-1").operation().required())
        .isEqualTo(Role.ADMIN);
    assertThat(ApiRoutes.classify("POST", "/api/something-new").operation())
        .isEqualTo(Operation.OTHER_CHANGE);
  }

  @Test
  void whatEachRoleMay() {
    assertThat(Role.VIEWER.covers(Operation.READ.required())).isTrue();
    assertThat(Role.VIEWER.covers(Operation.BACKUP.required())).isFalse();
    assertThat(Role.OPERATOR.covers(Operation.BACKUP.required())).isTrue();
    assertThat(Role.OPERATOR.covers(Operation.RESTORE.required())).isTrue();
    assertThat(Role.OPERATOR.covers(Operation.DELETE.required())).isFalse();
    assertThat(Role.OPERATOR.covers(Operation.ROLLBACK.required())).isFalse();
    assertThat(Role.OPERATOR.covers(Operation.SCHEDULE_DEFINE.required())).isFalse();
    assertThat(Role.ADMIN.covers(Operation.DELETE.required())).isTrue();
  }

  private static ApiRoutes.Route route(Operation op, String target) {
    return new ApiRoutes.Route(op, target);
  }
}
