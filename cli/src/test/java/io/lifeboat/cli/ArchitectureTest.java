package io.lifeboat.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled main classes of every module. Each
 * rule says why in its {@code because}.
 */
class ArchitectureTest {

  /** The recovery coordinator's packages (io.lifeboat.recovery, but not the executor's). */
  static final String[] COORDINATOR = {
    "io.lifeboat.recovery", "io.lifeboat.recovery.plan..", "io.lifeboat.recovery.saga..",
    "io.lifeboat.recovery.query..", "io.lifeboat.recovery.topology..", "io.lifeboat.recovery.web.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.lifeboat");
  }

  @Test
  void core_usesNeitherSpringNorKafka() {
    noClasses()
        .that()
        .resideInAPackage("io.lifeboat.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "org.apache.kafka..")
        .because("a restore needs only the repository and the key, never Kafka or the catalog")
        .check(classes);
  }

  @Test
  void eventContracts_dependOnNoOtherModuleOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.lifeboat.events..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.lifeboat.core..",
            "io.lifeboat.model..",
            "io.lifeboat.provider..",
            "io.lifeboat.storage..",
            "io.lifeboat.stage..",
            "io.lifeboat.catalog..",
            "io.lifeboat.recovery..",
            "io.lifeboat.scheduler..",
            "io.lifeboat.client..",
            "io.lifeboat.cli..")
        .because("any Avro reader must be able to use the event contracts on their own")
        .check(classes);
  }

  @Test
  void modelClientProvidersAndStorage_neverUseSpring() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.lifeboat.model..",
            "io.lifeboat.client..",
            "io.lifeboat.provider..",
            "io.lifeboat.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..")
        .because(
            "client commands and restores start in well under a second without a Spring context")
        .check(classes);
  }

  @Test
  void stageSagaPlannerAndStepLogic_isPlainJava_withoutKafkaOrSpring() {
    String because =
        "stage logic is a plain function tested without Kafka; listeners and configurations are the glue";
    String[] glue = {"org.apache.kafka..", "org.springframework.."};
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Stage")
        .and()
        .resideInAPackage("io.lifeboat.stage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(glue)
        .because(because)
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage("io.lifeboat.recovery.saga..", "io.lifeboat.recovery.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(glue)
        .because(because)
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.lifeboat.recovery.executor..")
        .and()
        .haveNameNotMatching(".*(Listener|Configuration|Properties)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(glue)
        .because(because)
        .check(classes);
  }

  @Test
  void stages_neverDependOnEachOther() {
    List<String> stages = List.of("dump", "seal", "upload", "verify");
    for (String stage : stages) {
      String[] others =
          stages.stream()
              .filter(s -> !s.equals(stage))
              .map(s -> "io.lifeboat.stage." + s + "..")
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage("io.lifeboat.stage." + stage + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others)
          .because("stages talk only through Kafka topics, so each can run and scale on its own")
          .check(classes);
    }
    noClasses()
        .that()
        .resideInAPackage("io.lifeboat.recovery.executor..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lifeboat.stage.dump..")
        .because("the executor is hosted by the dump stage's process but does not use its code")
        .check(classes);
  }

  @Test
  void catalogCoordinatorAndScheduler_touchNeitherStorageNorTheKey() {
    noClasses()
        .that()
        .resideInAPackage("io.lifeboat.catalog..")
        .or()
        .resideInAPackage("io.lifeboat.scheduler..")
        .or()
        .resideInAnyPackage(COORDINATOR)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.lifeboat.core.storage..",
            "io.lifeboat.core.repo..",
            "io.lifeboat.core.restore..",
            "io.lifeboat.stage.storage..",
            "io.lifeboat.storage..",
            "io.lifeboat.provider..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.lifeboat.core.crypto.MasterKey")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.lifeboat.core.crypto.CredentialSeal")
        .because(
            "only the services that move backup data hold the key and storage credentials (least privilege)")
        .check(classes);
  }

  @Test
  void uploadStage_neverHoldsTheKey() {
    noClasses()
        .that()
        .resideInAPackage("io.lifeboat.stage.upload..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.lifeboat.core.crypto.MasterKey")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.lifeboat.stage.storage.RepositoryAccess")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.lifeboat.core.repo.Repository")
        .because("upload stores sealed bytes; it must be unable to open them")
        .check(classes);
  }

  @Test
  void services_neverDependOnTheClientLibrary() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.lifeboat.stage..",
            "io.lifeboat.catalog..",
            "io.lifeboat.recovery..",
            "io.lifeboat.scheduler..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lifeboat.client..")
        .because("shared types live in the model module; the client library is for users")
        .check(classes);
  }

  @Test
  void webLayers_goThroughTheirQueryServices() {
    noClasses()
        .that()
        .resideInAnyPackage("io.lifeboat.catalog.web..", "io.lifeboat.recovery.web..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.apache.kafka.streams.KafkaStreams")
        .because(
            "only the query services touch the state stores, and answer 503 while they are not ready")
        .check(classes);
  }
}
