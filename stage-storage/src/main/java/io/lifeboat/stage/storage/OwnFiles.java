package io.lifeboat.stage.storage;

import io.lifeboat.core.policy.TargetPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Lifeboat's own files and folders, wherever this process's configuration puts them: its home, its
 * keys and credentials, its state, its repository, the configuration Spring reads from the working
 * folder, and its own code. Never a backup's source, never a restore's target (decision 0033): one
 * list, so that the dump stage and the recovery executor cannot disagree.
 */
public final class OwnFiles {

  /** The settings that name one of Lifeboat's own files or folders, in any service. */
  static final List<String> PROPERTIES =
      List.of(
          "lifeboat.repository.key-file",
          "lifeboat.recovery.executor.command-key-file",
          "lifeboat.recovery.coordinator.command-key-file",
          "lifeboat.recovery.executor.journal-dir",
          "lifeboat.recovery.executor.scratch-dir",
          "lifeboat.recovery.executor.sql-check-password-file",
          "lifeboat.kafka.credentials-dir",
          "lifeboat.auth.tokens-file",
          "lifeboat.auth.identity-dir",
          "lifeboat.stage.dump.password-file-dir",
          "lifeboat.catalog.state-dir",
          "lifeboat.recovery.coordinator.state-dir",
          "lifeboat.scheduler.state-dir",
          "lifeboat.tools.path",
          "spring.config.location",
          "spring.config.additional-location",
          "logging.config");

  private OwnFiles() {}

  /**
   * @param home Lifeboat's home
   * @param property a setting's value by name, or null when it is not set
   * @param repositoryLocations the primary's and the replicas' locations
   */
  public static List<Path> of(
      String home, Function<String, @Nullable String> property, List<String> repositoryLocations) {
    List<Path> own = new ArrayList<>();
    own.add(Path.of(home));
    for (String name : PROPERTIES) {
      String v = property.apply(name);
      if (v == null) {
        continue;
      }
      // Spring's locations are lists, with prefixes: optional:file:/etc/lifeboat/,classpath:/
      for (String part : v.split(",")) {
        String path = part.strip().replaceFirst("^optional:", "").replaceFirst("^file:", "");
        if (!path.isEmpty() && !path.contains(":")) {
          own.add(Path.of(path).toAbsolutePath());
        }
      }
    }
    for (String location : repositoryLocations) {
      TargetPolicy.localFolder(location).ifPresent(own::add);
    }
    // what Spring reads at the next start from the working folder, and the code itself
    Path work = Path.of("").toAbsolutePath();
    own.add(work.resolve("config"));
    for (String f : List.of("application.properties", "application.yml", "application.yaml")) {
      own.add(work.resolve(f));
    }
    own.addAll(code());
    // where MariaDB and Redis restores keep the original they moved aside
    own.add(Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-aside"));
    return own;
  }

  /** {@link #of} with the settings of a Spring environment. */
  public static List<Path> of(String home, Environment env, List<String> repositoryLocations) {
    Binder binder = Binder.get(env);
    return of(home, name -> binder.bind(name, String.class).orElse(null), repositoryLocations);
  }

  /**
   * Where Lifeboat's code is loaded from: every entry of the class path (a jar's folder holds the
   * others too), and the folder of the jar holding this class.
   */
  static List<Path> code() {
    List<Path> code = new ArrayList<>();
    for (String entry :
        System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        Path p = Path.of(entry).toAbsolutePath();
        code.add(p.toString().endsWith(".jar") && p.getParent() != null ? p.getParent() : p);
      }
    }
    try {
      var source = OwnFiles.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path p = Path.of(source.getLocation().toURI());
        code.add(p.toString().endsWith(".jar") && p.getParent() != null ? p.getParent() : p);
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // a nested jar: the class path entries above name its file
    }
    return code;
  }
}
