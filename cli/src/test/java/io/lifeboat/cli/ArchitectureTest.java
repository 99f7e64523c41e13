package io.lifeboat.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of docs/architecture.md, checked on the compiled classes of every module. */
class ArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.lifeboat");
  }

  @Test
  void core_usesNeitherSpringNorKafka() {
    noClasses().that().resideInAPackage("io.lifeboat.core..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..")
        .because("a restore needs only the repository and the key, never Kafka or the catalog")
        .check(classes);
  }

  @Test
  void eventContracts_dependOnNothingOfOurs() {
    noClasses().that().resideInAPackage("io.lifeboat.events..")
        .should().dependOnClassesThat().resideInAnyPackage("io.lifeboat.core..", "io.lifeboat.stage..", "io.lifeboat.catalog..", "io.lifeboat.client..")
        .check(classes);
  }

  @Test
  void stages_neverDependOnEachOther() {
    List<String> stages = List.of("dump", "seal", "upload", "verify");
    for (String stage : stages) {
      String[] others = stages.stream().filter(s -> !s.equals(stage)).map(s -> "io.lifeboat.stage." + s + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage("io.lifeboat.stage." + stage + "..")
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .because("stages talk only through Kafka topics, so each can run and scale on its own")
          .check(classes);
    }
  }

  @Test
  void catalogWeb_goesThroughTheQueryService() {
    noClasses().that().resideInAPackage("io.lifeboat.catalog.web..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.streams..")
        .check(classes);
  }

  @Test
  void clientAndCore_neverUseSpring() {
    noClasses().that().resideInAnyPackage("io.lifeboat.client..", "io.lifeboat.provider..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
        .because("client commands start in well under a second without a Spring context")
        .check(classes);
  }
}
