package io.lifeboat.stage.dump;

import static io.lifeboat.core.policy.RealPaths.real;

import io.lifeboat.core.policy.RealPaths;
import io.lifeboat.core.policy.SpecQuery;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.InvalidSourceException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a backup request may read, decided by the dump stage's own configuration: anyone who can
 * write a request to Kafka could otherwise ask for the key file, or send a file's content as a
 * "password" to a host of their choosing.
 *
 * <ul>
 *   <li>folder sources must lie under one of the {@code roots}, and may neither lie inside nor
 *       contain a {@code denied} path (Lifeboat's home with its keys, /proc, /sys, /dev); symbolic
 *       links are resolved first;
 *   <li>database sources must name an allowed host (any, when {@code databaseHosts} is empty);
 *   <li>a {@code passwordFile} must lie in {@code passwordFileDir} (refused when there is none).
 * </ul>
 *
 * @param roots folders sources may lie under
 * @param denied folders sources may neither lie in nor contain
 * @param databaseHosts the database hosts allowed, lower case; empty: any
 * @param passwordFileDir the only folder password files are read from, or null for none
 */
public record SourcePolicy(
    List<Path> roots,
    List<Path> denied,
    Set<String> databaseHosts,
    @Nullable Path passwordFileDir) {

  /**
   * Every reason the policy refuses a source; empty when it may be read. Looks at the spec as its
   * provider will read it, before anything is opened (parsing a database spec reads its password
   * file).
   *
   * @param spec the source spec as requested, e.g. {@code files:/etc/app} or {@code
   *     postgres://u@h/db}
   * @param provider the provider of its kind
   */
  public List<String> problems(String spec, ComponentProvider provider) {
    List<String> problems = new ArrayList<>();
    Optional<Path> folder;
    try {
      folder = provider.sourceFolder(spec);
    } catch (InvalidSourceException e) {
      return problems; // the provider refuses it with its own reason
    }
    if (folder.isPresent()) {
      Path path = real(folder.get());
      for (Path d : denied) {
        Path deny = real(d);
        if (path.startsWith(deny)) {
          problems.add(
              "it lies inside "
                  + d
                  + ", which the dump stage never reads (Lifeboat's keys and credentials, or a system folder)");
        } else if (deny.startsWith(path)) {
          problems.add(
              "it contains "
                  + d
                  + ", which the dump stage never reads; back up the folders beside it instead");
        }
      }
      if (roots.stream().map(RealPaths::real).noneMatch(path::startsWith)) {
        problems.add(
            "it lies outside the folders this dump stage may read ("
                + roots
                + "; lifeboat.stage.dump.source-roots)");
      }
      return problems;
    }
    int colon = spec.indexOf(':');
    if (colon < 0 || !spec.startsWith("//", colon + 1)) {
      return problems; // neither a folder nor a server (the environment)
    }
    URI uri;
    try {
      uri = URI.create(spec);
    } catch (IllegalArgumentException e) {
      return problems;
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!databaseHosts.isEmpty() && !databaseHosts.contains(host)) {
      problems.add(
          "host "
              + host
              + " is not one this dump stage may connect to ("
              + String.join(", ", databaseHosts)
              + "; lifeboat.stage.dump.database-hosts)");
    }
    List<String> passwordFiles;
    try {
      passwordFiles = SpecQuery.parameters(uri, "passwordFile");
    } catch (IllegalArgumentException e) {
      problems.add("its options cannot be read (a malformed %-escape)");
      return problems;
    }
    for (String passwordFile : passwordFiles) {
      if (passwordFile.isEmpty()) {
        continue; // the providers read no file for an empty value
      }
      if (passwordFileDir == null) {
        problems.add(
            "password files are not read by this dump stage (lifeboat.stage.dump.password-file-dir is not set)");
      } else if (!real(Path.of(passwordFile)).startsWith(real(passwordFileDir))) {
        problems.add(
            "password files are read only from "
                + passwordFileDir
                + " (lifeboat.stage.dump.password-file-dir)");
      }
    }
    return problems;
  }
}
