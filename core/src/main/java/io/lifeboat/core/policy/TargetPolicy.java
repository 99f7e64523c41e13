package io.lifeboat.core.policy;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Where a restore may write, decided by the configuration of the process that restores, never by
 * the request: the mirror of the dump stage's source policy. Without it anyone who may restore
 * could write into Lifeboat's home (its tokens, its keys), into {@code /etc}, or send a password
 * file's content to a server of their choosing.
 *
 * <p>A folder target is made absolute and resolved (links followed, {@code ..}, {@code //} and
 * {@code .} gone) <em>before</em> any rule looks at it, and the restore then writes into the
 * resolved path. It is refused when it is relative, is {@code /}, lies in or contains a denied
 * path, or lies outside every root (unless it is exactly the folder the backup came from); and when
 * it resolves to a production target that it does not name as such. A database target must name the
 * host its backup came from or a configured one, and read a password file only from the passwords
 * folder.
 *
 * @param roots folders targets may lie in; empty: anywhere not denied
 * @param denied paths a target may neither lie in nor contain: Lifeboat's home, key and credential
 *     files, the repository, the broker's data, {@code /proc}, {@code /sys}, {@code /dev}
 * @param databases the rule for database targets; null: none (the command line, which restores with
 *     its own user's rights and passwords)
 * @param production whether a target spec is a production one ({@code
 *     lifeboat.auth.production.targets})
 * @param scratchDir the executor's own folder for recovery tests' scratch targets (it may lie in
 *     the home); null: none
 */
public record TargetPolicy(
    List<Path> roots,
    List<Path> denied,
    @Nullable DatabaseRule databases,
    Predicate<String> production,
    @Nullable Path scratchDir) {

  /**
   * @param hosts hosts a database target may name besides the one its backup came from, lower case
   * @param passwordFileDir the only folder a {@code ?passwordFile=} is read from; null: none
   */
  public record DatabaseRule(Set<String> hosts, @Nullable Path passwordFileDir) {

    public DatabaseRule {
      hosts = Set.copyOf(hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList());
    }
  }

  /**
   * The answer about one target.
   *
   * @param target the target to restore into: a folder resolved to its real path (with its options
   *     kept), a database spec as given
   * @param problems every reason it is refused, each a sentence; empty when allowed
   */
  public record Decision(String target, List<String> problems) {

    public Decision {
      problems = List.copyOf(problems);
    }

    public boolean allowed() {
      return problems.isEmpty();
    }
  }

  public TargetPolicy {
    roots = List.copyOf(roots);
    denied = List.copyOf(denied);
  }

  /**
   * Whether a component may be restored into {@code target}.
   *
   * @param target the target spec: a folder (with {@code ?options} for some kinds) or a database
   *     URI
   * @param source the spec the component was backed up from, as its manifest records it (its folder
   *     is always a target, its host always a database host); null when unknown
   * @param scratch the executor made this target itself, in its scratch folder, for a recovery test
   */
  public Decision check(String target, @Nullable String source, boolean scratch) {
    return target.contains("://")
        ? checkDatabase(target, source)
        : checkFolder(target, source, scratch);
  }

  private Decision checkFolder(String target, @Nullable String source, boolean scratch) {
    int q = target.indexOf('?');
    String options = q < 0 ? "" : target.substring(q);
    Path typed;
    try {
      typed = Path.of(q < 0 ? target : target.substring(0, q));
    } catch (InvalidPathException e) {
      return new Decision(target, List.of("it is not a valid path"));
    }
    if (!typed.isAbsolute()) {
      return new Decision(
          target,
          List.of(
              "it is a relative path: name the target by an absolute path (a relative one would"
                  + " land in the working folder of the process that restores)"));
    }
    Path real = RealPaths.real(typed);
    String resolved = real + options;
    String alias = real.equals(typed.normalize()) ? "" : "it resolves to " + real + ", and ";
    List<String> problems = new ArrayList<>();
    if (real.getNameCount() == 0) {
      problems.add("it is the root folder /");
      return new Decision(resolved, problems);
    }
    Path scratchRoot = scratchDir == null ? null : RealPaths.real(scratchDir);
    boolean ownScratch =
        scratch && scratchRoot != null && real.startsWith(scratchRoot) && !real.equals(scratchRoot);
    if (!ownScratch) {
      // the outermost of the denied paths: inside the home is reason enough, its key need not be
      // named as well
      List<Path> deny = denied.stream().map(RealPaths::real).distinct().toList();
      List<Path> outermost =
          deny.stream()
              .filter(d -> deny.stream().noneMatch(o -> !o.equals(d) && d.startsWith(o)))
              .toList();
      Optional<Path> inside = outermost.stream().filter(real::startsWith).findFirst();
      if (inside.isPresent()) {
        problems.add(
            alias
                + "it lies inside "
                + inside.get()
                + ", where restores never write (Lifeboat's home, its keys and credentials, its"
                + " repository or broker data, or a system folder)");
      } else {
        for (Path d : outermost) {
          if (d.startsWith(real)) {
            problems.add(
                alias
                    + "it contains "
                    + d
                    + ", which a restore must not overwrite or move aside (Lifeboat's home, its keys"
                    + " and credentials, its repository or broker data, or a system folder); restore"
                    + " into a folder beside it");
          }
        }
      }
      if (problems.isEmpty()
          && !roots.isEmpty()
          && roots.stream().map(RealPaths::real).noneMatch(real::startsWith)
          && !sourceFolder(source).map(real::equals).orElse(false)) {
        problems.add(
            alias
                + "it lies outside the folders restores may write into ("
                + String.join(", ", roots.stream().map(Path::toString).toList())
                + "; lifeboat.recovery.target-roots) and is not the folder the backup came from");
      }
    }
    String named = typed.normalize() + options;
    if (production.test(resolved) && !production.test(named)) {
      problems.add(
          "it resolves to "
              + real
              + ", a production target, without naming it: name the target "
              + real
              + " itself (restoring into production needs the admin role)");
    }
    return new Decision(resolved, problems);
  }

  private Decision checkDatabase(String target, @Nullable String source) {
    if (databases == null) {
      return new Decision(target, List.of());
    }
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException e) {
      return new Decision(target, List.of("it is not a valid URI"));
    }
    List<String> problems = new ArrayList<>();
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String from = sourceHost(source).orElse("");
    if (host.isEmpty()) {
      problems.add("it names no host");
    } else if (!host.equals(from) && !databases.hosts().contains(host)) {
      problems.add(
          "host "
              + host
              + " is not one restores may connect to: the host the backup came from ("
              + (from.isEmpty() ? "unknown" : from)
              + ") or one of lifeboat.recovery.database-hosts ("
              + (databases.hosts().isEmpty()
                  ? "none configured"
                  : String.join(", ", databases.hosts().stream().sorted().toList()))
              + ")");
    }
    String passwordFile = SpecQuery.parameter(uri, "passwordFile");
    if (passwordFile != null) {
      Path dir = databases.passwordFileDir();
      if (dir == null) {
        problems.add("password files are not read here (no passwords folder is configured)");
      } else if (!RealPaths.real(Path.of(passwordFile)).startsWith(RealPaths.real(dir))) {
        problems.add(
            "password files are read only from "
                + dir
                + " (lifeboat.stage.dump.password-file-dir), for restores as for backups");
      }
    }
    return new Decision(target, problems);
  }

  /**
   * The folder of a local storage location ({@code /x}, {@code file:/x}, {@code file:///x}), which
   * restores must never write into; empty for any other kind of location.
   */
  public static Optional<Path> localFolder(@Nullable String location) {
    if (location == null || location.isBlank()) {
      return Optional.empty();
    }
    String l = location.strip();
    if (l.startsWith("file:")) {
      l = l.substring("file:".length()).replaceFirst("^//", "");
    }
    int q = l.indexOf('?');
    if (q >= 0) {
      l = l.substring(0, q);
    }
    try {
      return l.startsWith("/") ? Optional.of(Path.of(l)) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** The system's virtual folders and its boot files: never a restore's target. */
  public static final List<Path> SYSTEM_FOLDERS =
      List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"), Path.of("/boot"));

  /**
   * The folder a folder source was backed up from, e.g. {@code /etc/shop} of {@code
   * files:/etc/shop?exclude=*.tmp}.
   */
  static Optional<Path> sourceFolder(@Nullable String source) {
    if (source == null) {
      return Optional.empty();
    }
    int colon = source.indexOf(':');
    String rest = colon < 0 ? source : source.substring(colon + 1);
    if (rest.startsWith("//") || !rest.startsWith("/")) {
      return Optional.empty();
    }
    int q = rest.indexOf('?');
    try {
      return Optional.of(Path.of(q < 0 ? rest : rest.substring(0, q)).normalize());
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** The host a database source was backed up from, lower case. */
  static Optional<String> sourceHost(@Nullable String source) {
    if (source == null || !source.contains("://")) {
      return Optional.empty();
    }
    try {
      String host = URI.create(source).getHost();
      return host == null ? Optional.empty() : Optional.of(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
