package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's module table says what the build is: every module of the root pom, and for
 * each the Lifeboat modules its pom depends on (compile scope). Keeps the table true.
 */
class ModuleTableTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theModuleTable_listsEveryModule_withTheDependenciesOfItsPom() throws IOException {
    Map<String, List<String>> table = table();
    List<String> modules = modules();

    assertThat(table.keySet())
        .as("modules in docs/architecture.md")
        .containsExactlyInAnyOrderElementsOf(modules);
    for (String m : modules) {
      assertThat(table.get(m))
          .as("what %s depends on, by docs/architecture.md and by %s/pom.xml", m, m)
          .containsExactlyInAnyOrderElementsOf(dependencies(m));
    }
  }

  static List<String> modules() throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static List<String> dependencies(String module) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher d =
        Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL)
            .matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
    while (d.find()) {
      Matcher a =
          Pattern.compile("<artifactId>lifeboat-([a-z-]+)</artifactId>").matcher(d.group(1));
      if (a.find() && !d.group(1).contains("<scope>test</scope>")) {
        out.add(a.group(1));
      }
    }
    return out;
  }

  /** Module name to the Lifeboat modules before the ';' of its "depends on" cell. */
  static Map<String, List<String>> table() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/architecture.md"));
    String section =
        doc.substring(
            doc.indexOf("## Modules"), doc.indexOf("\n## ", doc.indexOf("## Modules") + 1));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : section.lines().toList()) {
      Matcher row = Pattern.compile("^\\| `([a-z-]+)` \\|.*\\| ([^|]*) \\|$").matcher(line);
      if (row.find()) {
        String ours = row.group(2).split(";", 2)[0].strip();
        out.put(
            row.group(1),
            ours.isEmpty()
                ? List.of()
                : Arrays.stream(ours.split(",")).map(String::strip).toList());
      }
    }
    return out;
  }
}
