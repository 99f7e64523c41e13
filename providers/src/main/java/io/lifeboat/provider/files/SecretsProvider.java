package io.lifeboat.provider.files;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Secrets: {@code secrets:/run/secrets} (a folder, restored as 0600 files in 0700 folders) or
 * {@code secrets:env:APP_*} (environment variables of the dump stage's process matching the glob,
 * restored as an env file with mode 0600). Values travel only inside the encrypted chunks: they are
 * never printed, logged or put in an event, and the catalog shows names only. Content checksums of
 * secrets are not recorded either (they would allow guessing weak ones offline).
 */
public final class SecretsProvider extends TreeProvider {

  static final String ENV = "env:";

  /**
   * Variables {@code secrets:env} never captures, whatever the pattern: Lifeboat's own settings
   * (the master key, the API token) and the credentials of the stage itself (cloud storage,
   * databases). A pattern that would match one of them is refused.
   */
  static final java.util.regex.Pattern RESERVED =
      java.util.regex.Pattern.compile(
          "^(LIFEBOAT_.*|AWS_.*|AZURE_.*|GOOGLE_.*|GCLOUD_.*|CLOUDSDK_.*|PGPASSWORD|PGPASSFILE|MYSQL_PWD|REDISCLI_AUTH)$");

  /**
   * {@link #RESERVED} as it is told in a refusal: the fixed rules, never a name found in the
   * environment (a rejection reason goes into events, the catalog and the audit trail).
   */
  static final List<String> RESERVED_RULES =
      List.of(
          "LIFEBOAT_*",
          "AWS_*",
          "AZURE_*",
          "GOOGLE_*",
          "GCLOUD_*",
          "CLOUDSDK_*",
          "PGPASSWORD",
          "PGPASSFILE",
          "MYSQL_PWD",
          "REDISCLI_AUTH");

  /** Well-known reserved names, tried against a pattern even when they are not set. */
  private static final List<String> RESERVED_EXAMPLES =
      List.of(
          "LIFEBOAT_MASTER_KEY",
          "LIFEBOAT_API_TOKEN",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_ACCESS_KEY_ID",
          "AWS_SESSION_TOKEN",
          "AZURE_STORAGE_KEY",
          "AZURE_STORAGE_CONNECTION_STRING",
          "AZURE_STORAGE_SAS_TOKEN",
          "GOOGLE_APPLICATION_CREDENTIALS",
          "PGPASSWORD",
          "MYSQL_PWD",
          "REDISCLI_AUTH");

  private static final int MAX_NAMES = 200;
  private final Supplier<Map<String, String>> environment;

  public SecretsProvider() {
    this(System::getenv);
  }

  /**
   * @param environment where env secrets are read from (tests pass their own)
   */
  SecretsProvider(Supplier<Map<String, String>> environment) {
    super("secrets");
    this.environment = environment;
  }

  @Override
  boolean contentDigest() {
    return false;
  }

  @Override
  boolean privateFiles() {
    return true;
  }

  @Override
  Map<String, String> extraMetadata(TreeArchiver.Result result, TreeSpec spec) {
    List<String> names = new ArrayList<>();
    try {
      TreeWalker.walk(
          spec,
          new TreeWalker.Visitor() {
            @Override
            public void entry(TreeWalker.Entry e) {
              if (e.type() != TreeWalker.Type.DIR) {
                names.add(e.name());
              }
            }

            @Override
            public void warn(String message) {}
          });
    } catch (IOException e) {
      return Map.of("secretsFrom", "folder");
    }
    return Map.of("secretsFrom", "folder", "names", joinNames(names));
  }

  @Override
  public java.util.Optional<Path> sourceFolder(String spec) throws InvalidSourceException {
    return spec != null && spec.startsWith("secrets:" + ENV)
        ? java.util.Optional.empty()
        : super.sourceFolder(spec);
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    if (spec != null && spec.startsWith("secrets:" + ENV)) {
      String glob = spec.substring(("secrets:" + ENV).length());
      if (glob.isBlank()) {
        throw new InvalidSourceException(
            "secrets:env: needs a name pattern, e.g. secrets:env:APP_*");
      }
      PathMatcher m = matcher(glob);
      List<String> reserved = new ArrayList<>(RESERVED_EXAMPLES);
      environment.get().keySet().stream()
          .filter(k -> RESERVED.matcher(k).matches())
          .forEach(reserved::add);
      List<String> hit =
          reserved.stream().filter(k -> m.matches(Path.of(k))).distinct().sorted().toList();
      if (!hit.isEmpty()) {
        List<String> rules =
            RESERVED_RULES.stream().filter(r -> hit.stream().anyMatch(k -> rule(r, k))).toList();
        throw new InvalidSourceException(
            "secrets:env:"
                + glob
                + " would capture the stage's own credentials or Lifeboat's settings (variables"
                + " matching "
                + String.join(", ", rules)
                + "); "
                + String.join(", ", RESERVED_RULES)
                + " are never backed up: name the variables to back up more narrowly, e.g."
                + " secrets:env:APP_*");
      }
      return new ComponentSource(kind(), ENV + glob, spec);
    }
    return super.parse(spec);
  }

  /** Whether a reserved name falls under a rule of {@link #RESERVED_RULES}. */
  private static boolean rule(String rule, String name) {
    return rule.endsWith("*")
        ? name.startsWith(rule.substring(0, rule.length() - 1))
        : name.equals(rule);
  }

  private static PathMatcher matcher(String glob) throws InvalidSourceException {
    try {
      return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceException("secrets: bad name pattern: " + e.getMessage());
    }
  }

  @Override
  public List<String> check(ComponentSource source) {
    if (!source.location().startsWith(ENV)) {
      return super.check(source);
    }
    try {
      return selected(source).isEmpty()
          ? List.of(
              "no environment variable of the dump stage matches "
                  + source.location().substring(ENV.length()))
          : List.of();
    } catch (InvalidSourceException e) {
      return List.of(e.getMessage());
    }
  }

  private Map<String, String> selected(ComponentSource source) throws InvalidSourceException {
    PathMatcher m = matcher(source.location().substring(ENV.length()));
    Map<String, String> out = new TreeMap<>();
    environment
        .get()
        .forEach(
            (k, v) -> {
              if (!k.isEmpty()
                  && !k.contains("/")
                  && !RESERVED.matcher(k).matches()
                  && m.matches(Path.of(k))) {
                out.put(k, v);
              }
            });
    return out;
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    if (!source.location().startsWith(ENV)) {
      return super.dump(source, out);
    }
    Map<String, String> vars;
    try {
      vars = selected(source);
    } catch (InvalidSourceException e) {
      throw new IOException(e.getMessage(), e);
    }
    out.write(EnvFile.write(vars));
    return new DumpResult(
        Map.of(
            "secretsFrom",
            "env",
            "count",
            Integer.toString(vars.size()),
            "names",
            joinNames(new ArrayList<>(vars.keySet()))),
        List.of());
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    try {
      Path p = FolderTarget.path(target);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        return FolderTarget.check(target, false);
      }
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
    return super.checkTarget(target);
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    if (!"env".equals(metadata.get("secretsFrom"))) {
      super.restore(stream, target, metadata);
      return;
    }
    Path file = FolderTarget.path(target);
    if (Files.isDirectory(file)) {
      throw new IOException(
          file
              + " is a folder; env secrets restore into a file (e.g. "
              + file.resolve("secrets.env")
              + ")");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    try (OutputStream out =
        java.nio.channels.Channels.newOutputStream(
            Files.newByteChannel(
                file,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))))) {
      stream.transferTo(out);
    }
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    if (!"env".equals(metadata.get("secretsFrom"))) {
      return super.healthCheck(target, metadata);
    }
    Path file = FolderTarget.path(target);
    List<String> names = EnvFile.names(Files.readAllBytes(file));
    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    List<String> problems = new ArrayList<>();
    if (!joinNames(names).equals(metadata.get("names"))) {
      problems.add(
          "restored names " + names + " differ from the backup's (" + metadata.get("names") + ")");
    }
    if (!mode.equals("rw-------")) {
      problems.add(file + " has mode " + mode + ", expected rw-------");
    }
    return new HealthReport(
        List.of(names.size() + " secrets restored, names match", "mode rw-------"), problems);
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    FolderTarget.rollBack(target, aside);
  }

  private static String joinNames(List<String> names) {
    if (names.size() <= MAX_NAMES) {
      return String.join(",", names);
    }
    return String.join(",", names.subList(0, MAX_NAMES))
        + ",… "
        + (names.size() - MAX_NAMES)
        + " more";
  }
}
