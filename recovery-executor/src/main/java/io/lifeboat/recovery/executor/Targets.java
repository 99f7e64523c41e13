package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.events.IfExists;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small helpers about restore targets shared by the step kinds. */
final class Targets {

  private Targets() {}

  static RestoreTarget.Occupied occupied(IfExists ifExists) {
    return switch (ifExists == null ? IfExists.REPLACE : ifExists) {
      case REFUSE -> RestoreTarget.Occupied.REFUSE;
      case MERGE -> RestoreTarget.Occupied.MERGE;
      case REPLACE -> RestoreTarget.Occupied.REPLACE;
    };
  }

  /** Providers speak in the restore command's options; a plan says ifExists. */
  static String inPlanTerms(String problem) {
    return problem.replace("--replace", "ifExists: replace").replace("--force", "ifExists: merge");
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException notEmpty) {
      // other components of the same test are still there
    }
  }
}
