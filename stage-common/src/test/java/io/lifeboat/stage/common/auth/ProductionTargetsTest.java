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

  @Test
  void aWildcardMidGlob_aGlobsSchemeAndAnEncodedDatabase_areSeen() {
    ProductionTargets mid =
        new ProductionTargets(List.of("/srv/*/prod", "postgresql://DB-PROD/shop"));
    assertThat(mid.test("/srv/app")).isTrue(); // holds /srv/app/prod
    assertThat(mid.test("/srv/app/prod")).isTrue();
    assertThat(mid.test("/opt/app")).isFalse();
    assertThat(mid.test("postgres://db-prod/shop")).isTrue();
    assertThat(mid.test("postgres://db-prod/%73hop")).isTrue();
    assertThat(mid.test("postgres://db-prod:5432/shop")).isTrue();
  }

  @Test
  void theExecutorsView_resolvesTheGlobsFolders() {
    ProductionTargets here =
        new ProductionTargets(List.of("/srv/prod-*"))
            .withRealFolders(
                p -> p.toString().equals("/srv") ? java.nio.file.Path.of("/data/srv") : p);
    assertThat(here.test("/data/srv/prod-shop")).isTrue();
    assertThat(here.test("/srv/prod-shop")).isTrue();
    assertThat(prod.test("/data/srv/prod-shop")).isFalse();
  }
}
