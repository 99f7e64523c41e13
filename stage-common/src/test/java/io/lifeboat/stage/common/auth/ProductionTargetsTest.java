package io.lifeboat.stage.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProductionTargetsTest {

  final ProductionTargets prod =
      new ProductionTargets(List.of("/srv/prod-*", "postgres://db-prod*/*"));

  @Test
  void everySpellingOfAProductionFolder_isProduction() {
    for (String t :
        List.of(
            "/srv/prod-shop",
            "/srv/x/../prod-shop",
            "/srv//prod-shop",
            "/srv/./prod-shop",
            "/srv/x?/../prod-shop")) {
      assertThat(prod.test(t)).as(t).isTrue();
    }
    assertThat(prod.test("/srv/staging")).isFalse();
  }

  @Test
  void aFolderHoldingAProductionFolder_isProduction() {
    assertThat(prod.test("/srv")).isTrue();
    assertThat(prod.test("/srv/")).isTrue();
    assertThat(prod.test("/")).isTrue();
    assertThat(prod.test("/sr")).isFalse();
    assertThat(prod.test("/srv/pro")).isFalse();
  }

  @Test
  void everySpellingOfAProductionDatabase_isProduction() {
    for (String t :
        List.of(
            "postgres://db-prod1/shop",
            "postgres://PROD-X@DB-PROD1/shop",
            "postgresql://db-prod1/shop",
            "postgres://postgres@db-prod1:5432/shop")) {
      assertThat(prod.test(t)).as(t).isTrue();
    }
    assertThat(prod.test("postgres://db-staging/shop")).isFalse();
  }
}
