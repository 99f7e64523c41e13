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
 * @param production which target specs are production ({@code lifeboat.auth.production.targets})
 * @param scratchDir the executor's own folder for recovery tests' scratch targets (it may lie in
 *     the home); null: none
 */
public record TargetPolicy(
    List<Path> roots,
    List<Path> denied,
    @Nullable DatabaseRule databases,
    Production production,
    @Nullable Path scratchDir) {

  /**
   * Which targets are production.
   *
   * @param asNamed as the API and the saga judged the target, by its name
   * @param here with the links of this host resolved in the production globs too
   */
  public record Production(Predicate<String> asNamed, Predicate<String> here) {

    /** One rule for both (no links to resolve, or none known). */
    public static Production of(Predicate<String> rule) {
      return new Production(rule, rule);
    }
  }

  /**
   * @param hosts servers a database target may name besides the one its backup came from, lower
   *     case: {@code host} (any port) or {@code host:port}
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

  private static final java.util.regex.Pattern UNSAFE_IN_PATH =
      java.util.regex.Pattern.compile("[\\p{Cntrl}\"'$`\\\\]");

  public TargetPolicy {
    roots = List.copyOf(roots);
    denied = List.copyOf(denied);
  }

  /**
   * Whether a component may be restored into {@code target}.
   *
   * @param target the target spec, as the component's provider will read it
   * @param form how that provider reads it (a folder, with or without options, or a server URI)
   * @param source the spec the component was backed up from, as its manifest records it (its folder
   *     is always a target, its host and port always a database server); null when unknown
   * @param scratch the executor made this target itself, in its scratch folder, for a recovery test
   */
  public Decision check(String target, TargetForm form, @Nullable String source, boolean scratch) {
    return form.folder()
        ? checkFolder(target, form, source, scratch)
        : checkDatabase(target, form, source);
  }

  private Decision checkFolder(
      String target, TargetForm form, @Nullable String source, boolean scratch) {
    int q = target.indexOf('?');
    if (q >= 0) {
      List<String> wrong = optionProblems(target.substring(q + 1), form);
      if (!wrong.isEmpty()) {
        return new Decision(target, wrong);
      }
    }
    String options = q < 0 ? "" : target.substring(q);
    if (UNSAFE_IN_PATH.matcher(q < 0 ? target : target.substring(0, q)).find()) {
      // the path goes into tool arguments and settings (a restored server's restore_command)
      return new Decision(
          target,
          List.of("it holds a control character, a quote, '$', '`' or '\\'; name folders plainly"));
    }
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
    if (production.here().test(resolved) && !production.asNamed().test(named)) {
      problems.add(
          "it resolves to "
              + real
              + ", a production target, without naming it: name the target "
              + real
              + " itself (restoring into production needs the admin role)");
    }
    return new Decision(resolved, problems);
  }

  /**
   * What is wrong with a folder target's options: the kind takes none, or not this one, or not this
   * value. Options the restore sets itself (a spool folder, a recovery target time) are never the
   * caller's.
   */
  private static List<String> optionProblems(String query, TargetForm form) {
    if (form.options().isEmpty()) {
      return List.of(
          "a folder target of this kind takes no '?' (it would be read as part of the path)");
    }
    List<String> problems = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value;
      try {
        value =
            eq < 0
                ? ""
                : java.net.URLDecoder.decode(
                    pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        problems.add("option '" + name + "' has a malformed %-escape");
        continue;
      }
      java.util.regex.Pattern allowed = form.options().get(name);
      if (allowed == null) {
        problems.add(
            "option '"
                + name
                + "' is not one a restore may be given (only "
                + String.join(", ", new java.util.TreeSet<>(form.options().keySet()))
                + ")");
      } else if (!seen.add(name)) {
        problems.add("option '" + name + "' is given twice");
      } else if (!allowed.matcher(value).matches()) {
        problems.add("option '" + name + "' has a value it cannot take");
      }
    }
    return problems;
  }

  private Decision checkDatabase(String target, TargetForm form, @Nullable String source) {
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
    int port = uri.getPort() < 0 ? form.defaultPort() : uri.getPort();
    Optional<String> from = sourceServer(source, form.defaultPort());
    String server = host + ":" + port;
    if (host.isEmpty()) {
      problems.add("it names no host");
    } else if (!from.map(server::equals).orElse(false)
        && !databases.hosts().contains(host)
        && !databases.hosts().contains(server)) {
      problems.add(
          "server "
              + server
              + " is not one restores may connect to: the one the backup came from ("
              + from.orElse("unknown")
              + ") or one of lifeboat.stage.dump.database-hosts ("
              + (databases.hosts().isEmpty()
                  ? "none configured"
                  : String.join(", ", databases.hosts().stream().sorted().toList()))
              + "; a host alone allows any of its ports)");
    }
    List<String> passwordFiles;
    try {
      passwordFiles = SpecQuery.parameters(uri, "passwordFile");
    } catch (IllegalArgumentException e) {
      problems.add("its options cannot be read (a malformed %-escape)");
      return new Decision(target, problems);
    }
    for (String passwordFile : passwordFiles) {
      Path dir = databases.passwordFileDir();
      if (passwordFile.isEmpty()) {
        continue; // the providers read no file for an empty value
      }
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

  /** The server ({@code host:port}, host lower case) a database source was backed up from. */
  static Optional<String> sourceServer(@Nullable String source, int defaultPort) {
    if (source == null || !source.contains("://")) {
      return Optional.empty();
    }
    try {
      URI uri = URI.create(source);
      if (uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(
          uri.getHost().toLowerCase(Locale.ROOT)
              + ":"
              + (uri.getPort() < 0 ? defaultPort : uri.getPort()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
