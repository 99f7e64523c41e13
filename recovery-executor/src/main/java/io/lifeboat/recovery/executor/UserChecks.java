package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.events.CheckSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The user's health checks of a recovered environment: a SQL query with an expected value, an HTTP
 * GET with an expected status, a command with an expected exit code. Commands see one {@code
 * LIFEBOAT_TARGET_<COMPONENT>} variable per component (the target it was restored to, the scratch
 * one in a recovery test).
 *
 * <p>A check must not be a way into the host or the database server: SQL runs as the executor's
 * check login in a read-only transaction (never as the target's user), HTTP reaches only the
 * recovery's own database hosts and the configured check hosts, and a message shows what was
 * compared, never more of a value than its {@code expect} needs (viewers read it).
 */
final class UserChecks {

  /**
   * @param passed whether the check passed @param message what it found
   */
  record Outcome(boolean passed, @Nullable String message) {}

  /** What a command check's environment holds besides its LIFEBOAT_TARGET_* variables. */
  static final Map<String, String> BASE_ENVIRONMENT =
      Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8");

  private final ProviderRegistry providers;
  private final ExecutorPolicy policy;
  private final CommandCheckPolicy commands;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  UserChecks(ProviderRegistry providers, ExecutorPolicy policy) {
    this.providers = providers;
    this.policy = policy;
    this.commands = policy.commands();
  }

  /**
   * Problems that would stop the check from running at all (validation).
   *
   * @param targets component name to the target it is restored into
   */
  List<String> problems(CheckSpec check, Map<String, String> kinds, Map<String, String> targets) {
    List<String> problems = new ArrayList<>();
    String label = "check " + check.getName() + ": ";
    switch (check.getType()) {
      case SQL -> {
        String kind = kinds.get(check.getComponent());
        if (kind != null && !List.of("postgres", "mysql", "mariadb", "pgbase").contains(kind)) {
          problems.add(
              label + "component " + check.getComponent() + " is " + kind + ", which takes no SQL");
        }
      }
      case HTTP -> unreachable(check, targets).ifPresent(p -> problems.add(label + p));
      case COMMAND -> {
        if (!commands.enabled()) {
          problems.add(
              label
                  + "command checks are disabled in this executor (lifeboat.recovery.executor.command-checks=true"
                  + " in its own configuration enables them)");
          return problems;
        }
        if (commands.runAs() != null && !"root".equals(System.getProperty("user.name"))) {
          problems.add(
              label
                  + "command checks are to run as "
                  + commands.runAs()
                  + ", which needs an executor running as root");
        }
        List<String> argv = check.getCommand();
        String program = argv.size() == 1 ? "/bin/sh" : argv.get(0);
        if (!executable(program)) {
          problems.add(label + "command " + program + " not found or not executable");
        }
      }
      default -> {}
    }
    return problems;
  }

  Outcome run(CheckSpec check, Map<String, String> targets, Map<String, String> kinds) {
    try {
      return switch (check.getType()) {
        case SQL -> sql(check, targets, kinds);
        case HTTP -> http(check, targets);
        case COMMAND -> command(check, targets);
      };
    } catch (IOException e) {
      return new Outcome(false, firstLine(String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }

  private Outcome sql(CheckSpec check, Map<String, String> targets, Map<String, String> kinds)
      throws IOException {
    String target = targets.get(check.getComponent());
    ComponentProvider provider;
    try {
      provider = providers.byKind(kinds.getOrDefault(check.getComponent(), ""));
    } catch (InvalidSourceException e) {
      throw new IOException("component " + check.getComponent() + ": " + e.getMessage(), e);
    }
    String value =
        provider
            .queryValue(
                new RestoreTarget(Objects.requireNonNull(target, "spec")),
                check.getSql(),
                policy.sqlLogin())
            .strip();
    String expect = check.getExpect() == null ? "" : check.getExpect().strip();
    boolean ok = value.equals(expect);
    return new Outcome(
        ok,
        "`"
            + check.getSql()
            + "` returned "
            + (ok ? "the expected " + value : shown(value, expect) + ", expected " + expect));
  }

  /**
   * A value that is not the expected one, shown no longer than the expected one: a check that
   * selects a secret must not carry it into the execution's message.
   */
  static String shown(String value, String expect) {
    if (value.equals("(no rows)")) {
      return value;
    }
    int room = Math.max(1, expect.length());
    return value.length() <= room
        ? value
        : value.substring(0, room) + "... (" + value.length() + " characters)";
  }

  /** Why an HTTP check may not reach its URL's host, if it may not. */
  private Optional<String> unreachable(CheckSpec check, Map<String, String> targets) {
    URI uri;
    try {
      uri = URI.create(String.valueOf(check.getHttp()));
    } catch (IllegalArgumentException e) {
      return Optional.of("not a valid URL");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("the URL carries a user or password; HTTP checks send no credentials");
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    Set<String> allowed = new TreeSet<>(policy.checkHosts());
    targets.values().stream()
        .filter(t -> t.contains("://"))
        .map(UserChecks::host)
        .flatMap(Optional::stream)
        .forEach(allowed::add);
    if (allowed.contains(host)) {
      return Optional.empty();
    }
    return Optional.of(
        "host "
            + (host.isEmpty() ? "(none)" : host)
            + " is not one HTTP checks may reach: the recovery's database hosts or"
            + " lifeboat.recovery.executor.check-hosts ("
            + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
            + ")");
  }

  private static Optional<String> host(String spec) {
    try {
      String h = URI.create(spec).getHost();
      return h == null ? Optional.empty() : Optional.of(h.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Outcome http(CheckSpec check, Map<String, String> targets)
      throws IOException, InterruptedException {
    Optional<String> refused = unreachable(check, targets);
    if (refused.isPresent()) {
      return new Outcome(false, "not run: " + refused.get());
    }
    int expected = check.getExpectStatus();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(check.getHttp()))
            .timeout(Duration.ofMillis(check.getTimeoutMs()))
            .GET()
            .build();
    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    return new Outcome(
        status == expected,
        "GET "
            + check.getHttp()
            + " answered "
            + status
            + (status == expected ? "" : ", expected " + expected));
  }

  private Outcome command(CheckSpec check, Map<String, String> targets)
      throws IOException, InterruptedException {
    if (!commands.enabled()) {
      return new Outcome(false, "not run: command checks are disabled in this executor");
    }
    List<String> argv = new ArrayList<>();
    if (commands.runAs() != null) {
      argv.addAll(
          List.of(
              "setpriv",
              "--reuid=" + commands.runAs(),
              "--regid=" + commands.runAs(),
              "--init-groups",
              "--"));
    }
    argv.addAll(
        check.getCommand().size() == 1
            ? List.of("/bin/sh", "-c", check.getCommand().get(0))
            : check.getCommand());
    int expected = check.getExpectExit();
    Path work = Files.createTempDirectory("lifeboat-check-");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(work.toFile());
    // an empty environment: nothing of the executor's (key, passwords, cloud credentials) reaches
    // the check
    pb.environment().clear();
    pb.environment().putAll(BASE_ENVIRONMENT);
    pb.environment().put("HOME", work.toString());
    targets.forEach((name, target) -> pb.environment().put(envName(name), target));
    Path output = work.resolve("output");
    try {
      pb.redirectOutput(output.toFile());
      Process p = pb.start();
      if (!p.waitFor(check.getTimeoutMs(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Outcome(false, "did not finish within " + check.getTimeoutMs() / 1000 + " s");
      }
      int exit = p.exitValue();
      String tail = tail(Files.readString(output, StandardCharsets.UTF_8));
      return new Outcome(
          exit == expected,
          "exited "
              + exit
              + (exit == expected ? "" : ", expected " + expected)
              + (tail.isEmpty() ? "" : ": " + tail));
    } finally {
      Targets.deleteTree(work);
    }
  }

  /**
   * An error as a message: its first line, cut short (a server's error can quote the value it could
   * not use, and a long one is a way to read data out through the message).
   */
  static String firstLine(String message) {
    // a quoted value in a server's error is data ("invalid input syntax for type integer: "..."")
    String line =
        message
            .lines()
            .findFirst()
            .orElse("")
            .strip()
            .replaceAll("\"[^\"]*\"", "\"...\"")
            .replaceAll("'[^']*'", "'...'");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  static String envName(String component) {
    return "LIFEBOAT_TARGET_" + component.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static String tail(String output) {
    String t = output.strip();
    return t.length() > 500 ? "..." + t.substring(t.length() - 500) : t;
  }

  private static boolean executable(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = BASE_ENVIRONMENT.getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
