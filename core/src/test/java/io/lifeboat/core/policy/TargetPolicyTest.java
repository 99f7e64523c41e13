package io.lifeboat.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetPolicyTest {

  @TempDir Path dir;
  Path home;
  Path restores;
  Path prod;
  TargetPolicy policy;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("api-tokens"), "x");
    restores = Files.createDirectories(dir.resolve("srv"));
    prod = Files.createDirectories(restores.resolve("prod"));
    policy =
        new TargetPolicy(
            List.of(restores),
            List.of(home, Path.of("/proc")),
            new TargetPolicy.DatabaseRule(Set.of("DB2.example"), home.resolve("passwords")),
            TargetPolicy.Production.of(t -> t.startsWith(prod.toString())),
            home.resolve("scratch"));
  }

  static final TargetForm PG = new TargetForm(false, java.util.Map.of(), 5432);
  static final TargetForm PGBASE =
      new TargetForm(true, java.util.Map.of("port", java.util.regex.Pattern.compile("[0-9]+")), 0);

  TargetPolicy.Decision check(String target) {
    return policy.check(target, TargetForm.FOLDER, "files:" + dir.resolve("src"), false);
  }

  @Test
  void aFolderUnderARoot_isAllowed_andResolvedToItsRealPath() throws Exception {
    Path real = Files.createDirectories(restores.resolve("app"));
    Files.createSymbolicLink(restores.resolve("link"), real);

    assertThat(check(restores + "/app").allowed()).isTrue();
    TargetPolicy.Decision viaLink =
        policy.check(restores + "/link/sub?port=5433", PGBASE, null, false);
    assertThat(viaLink.problems()).isEmpty();
    assertThat(viaLink.target()).isEqualTo(real.resolve("sub") + "?port=5433");
  }

  @Test
  void theHome_anythingInIt_andAFolderHoldingIt_areRefused() {
    assertThat(check(home.toString()).problems()).anyMatch(p -> p.contains("lies inside " + home));
    assertThat(check(home.resolve("api-tokens").toString()).problems())
        .anyMatch(p -> p.contains("lies inside " + home));
    // the temp folder holds the home: a replace would move it aside, a merge overwrite it
    assertThat(check(dir.toString()).problems()).anyMatch(p -> p.contains("it contains " + home));
    assertThat(check("/").problems()).containsExactly("it is the root folder /");
    assertThat(check("/proc/self").problems()).anyMatch(p -> p.contains("lies inside /proc"));
  }

  @Test
  void everyWayOfSpellingTheHome_isTheHome() throws Exception {
    Files.createSymbolicLink(restores.resolve("to-home"), home);
    for (String spelled :
        List.of(
            restores + "/x/../../home",
            dir + "//home",
            dir + "/./home",
            restores + "/to-home",
            restores + "/to-home/api-tokens")) {
      assertThat(check(spelled).problems())
          .as(spelled)
          .anyMatch(p -> p.contains("lies inside " + home));
    }
    assertThat(check("home/api-tokens").problems())
        .singleElement()
        .asString()
        .contains("relative path");
  }

  @Test
  void outsideTheRoots_onlyTheFolderTheBackupCameFrom() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    assertThat(check(dir.resolve("elsewhere").toString()).problems())
        .singleElement()
        .asString()
        .contains("outside the folders restores may write into");
    assertThat(check(src.toString()).allowed()).isTrue();
    // not a folder inside it: exactly where it came from
    assertThat(check(src.resolve("sub").toString()).allowed()).isFalse();
    // where a link at the source's path points now does not count as the source
    Path evil = Files.createDirectories(dir.resolve("evil"));
    Files.delete(src);
    Files.createSymbolicLink(src, evil);
    assertThat(check(src.toString()).problems())
        .singleElement()
        .asString()
        .contains("resolves to " + evil);
  }

  @Test
  void aTargetThatReachesProductionWithoutNamingIt_isRefused() throws Exception {
    Files.createSymbolicLink(restores.resolve("alias"), prod);
    assertThat(check(prod + "/db").allowed()).isTrue(); // named: the API and the saga judge it
    assertThat(check(restores + "/alias/db").problems())
        .singleElement()
        .asString()
        .contains("a production target, without naming it");
  }

  @Test
  void theExecutorsOwnScratchTargets_mayLieInTheHome() {
    String scratch = home.resolve("scratch/x1/config").toString();
    assertThat(policy.check(scratch, TargetForm.FOLDER, null, true).allowed()).isTrue();
    assertThat(policy.check(scratch, TargetForm.FOLDER, null, false).allowed()).isFalse();
    assertThat(
            policy
                .check(
                    home.resolve("scratch/../api-tokens").toString(), TargetForm.FOLDER, null, true)
                .allowed())
        .isFalse();
  }

  @Test
  void databaseTargets_onTheirSourcesHostOrAConfiguredOne_withPasswordsFromThePasswordsFolder() {
    String source = "postgres://postgres@db1.example:5432/shop";
    assertThat(
            policy.check("postgres://postgres@DB1.example:5432/copy", PG, source, false).allowed())
        .isTrue();
    assertThat(policy.check("postgres://postgres@db2.example/copy", PG, source, false).allowed())
        .isTrue();
    assertThat(
            policy
                .check("postgres://postgres@attacker.example:5432/x", PG, source, false)
                .problems())
        .singleElement()
        .asString()
        .contains("server attacker.example:5432 is not one restores may connect to")
        .contains("db1.example");
    assertThat(
            policy
                .check(
                    "postgres://postgres@db1.example/x?passwordFile=" + home.resolve("key"),
                    PG,
                    source,
                    false)
                .problems())
        .singleElement()
        .asString()
        .contains("password files are read only from " + home.resolve("passwords"));
    assertThat(
            policy
                .check(
                    "postgres://postgres@db1.example/x?passwordFile="
                        + home.resolve("passwords/../key"),
                    PG,
                    source,
                    false)
                .allowed())
        .isFalse();
    assertThat(
            policy
                .check(
                    "postgres://postgres@db1.example/x?passwordFile="
                        + home.resolve("passwords/shop"),
                    PG,
                    source,
                    false)
                .allowed())
        .isTrue();
  }

  @Test
  void aQuestionMark_isPartOfAFoldersPath_andOptionsAreOnlyTheOnesAKindTakes() {
    // a tree kind reads the whole spec as its path: /srv/x?/../../home is the home
    String sneaky = restores + "/x?/../../home";
    assertThat(check(sneaky).problems()).singleElement().asString().contains("takes no '?'");
    assertThat(
            policy
                .check(restores + "/pg?port=5433&walSpool=" + home, PGBASE, null, false)
                .problems())
        .singleElement()
        .asString()
        .contains("option 'walSpool' is not one a restore may be given");
    assertThat(policy.check(restores + "/pg?port=5433&port=5434", PGBASE, null, false).allowed())
        .isFalse();
    assertThat(policy.check(restores + "/pg?port=x/../..", PGBASE, null, false).allowed())
        .isFalse();
    // a path goes into settings and tool arguments: nothing a shell or a config file reads
    for (String odd : List.of("/pg$(id)", "/pg`id`", "/pg'x", "/pg\"x", "/pg\nx", "/pg\\x")) {
      assertThat(check(restores + odd).problems())
          .as(odd)
          .singleElement()
          .asString()
          .contains("plainly");
    }
    // a folder kind's target is a folder even when it looks like a URI
    assertThat(check("x://db2.example/../../" + home).allowed()).isFalse();
  }

  @Test
  void aDatabaseTarget_isPinnedToItsSourcesPort_unlessTheHostIsConfiguredAlone() {
    String source = "postgres://postgres@db1.example:5432/shop";
    assertThat(policy.check("postgres://postgres@db1.example/copy", PG, source, false).allowed())
        .isTrue();
    assertThat(
            policy.check("postgres://postgres@db1.example:6543/copy", PG, source, false).problems())
        .singleElement()
        .asString()
        .contains("server db1.example:6543 is not one restores may connect to");
    assertThat(
            policy.check("postgres://postgres@db2.example:6543/copy", PG, source, false).allowed())
        .isTrue();
    String key = home.resolve("key").toString();
    for (String query :
        List.of(
            "passwordFile=" + home.resolve("passwords/ok") + "&passwordFile=" + key,
            "passwordFil%65=" + key)) {
      assertThat(
              policy
                  .check("postgres://postgres@db1.example/x?" + query, PG, source, false)
                  .problems())
          .as(query)
          .anyMatch(p -> p.contains("password files are read only from"));
    }
  }

  @Test
  void localStorageFolders() {
    assertThat(TargetPolicy.localFolder("/var/backups/lb")).contains(Path.of("/var/backups/lb"));
    assertThat(TargetPolicy.localFolder("file:///var/backups/lb"))
        .contains(Path.of("/var/backups/lb"));
    assertThat(TargetPolicy.localFolder("s3://bucket/x")).isEmpty();
  }
}
