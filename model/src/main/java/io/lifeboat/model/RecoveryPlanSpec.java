package io.lifeboat.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.core.provider.SpecCredentials;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A recovery plan's configuration, as users write it (YAML or JSON) and as it travels in events
 * (JSON). Example:
 *
 * <pre>
 * name: shop
 * environment: production
 * rto: 15m                      # the objective; exceeding it raises an alert
 * rpo: 24h                      # the most data a recovery may lose; older backups raise an alert
 * at: 2026-11-20T03:00:00Z      # optional: newest verified backup at or before (or backup: ID)
 * components:
 *   - name: secrets             # the component's name in the backups
 *     target: /srv/shop/secrets
 *   - name: db
 *     target: postgres://postgres@127.0.0.1:5432/shop
 *     ifExists: replace         # replace (default: move aside, put back on failure), refuse, merge
 * checks:
 *   - name: orders
 *     sql: select count(*) from orders
 *     component: db
 *     expect: "200"
 *   - name: api
 *     http: http://127.0.0.1:8080/health
 *     expectStatus: 200
 *   - name: config-parses
 *     command: test -s "$LIFEBOAT_TARGET_CONFIG/app.yaml"
 * </pre>
 *
 * @param name plan name: letters, digits, '.', '_', '-', at most 64
 * @param environment what the plan restores (a label)
 * @param description free text
 * @param backup restore every component from this backup (instead of the newest)
 * @param at default point in time, ISO-8601 (a request's own time wins)
 * @param from default backup definition name the components come from
 * @param rto the RTO objective, e.g. 15m, 1h30m, 90s
 * @param rpo the RPO objective: the newest usable backup may be at most this old, e.g. 24h, 1d
 * @param components what to restore where, in any order (the planner orders them)
 * @param checks user health checks run after every component is restored
 * @param deprecated the plan is retired: it refuses to run unless the request forces it ({@code
 *     lifeboat plan deprecate NAME}; defining the plan again without it brings it back)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecoveryPlanSpec(
    String name,
    @Nullable String environment,
    @Nullable String description,
    @Nullable String backup,
    @Nullable String at,
    @Nullable String from,
    @Nullable String rto,
    @Nullable String rpo,
    List<ComponentTarget> components,
    List<Check> checks,
    @Nullable Boolean deprecated,
    @Nullable Map<String, Environment> environments) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final Set<String> IF_EXISTS = Set.of("replace", "refuse", "merge");

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public RecoveryPlanSpec {
    components = components == null ? List.of() : List.copyOf(components);
    checks = checks == null ? List.of() : List.copyOf(checks);
    deprecated = Boolean.TRUE.equals(deprecated) ? Boolean.TRUE : null;
    environments =
        environments == null || environments.isEmpty()
            ? null
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(environments));
  }

  /** A plan without environments, deprecated or not. */
  public RecoveryPlanSpec(
      String name,
      @Nullable String environment,
      @Nullable String description,
      @Nullable String backup,
      @Nullable String at,
      @Nullable String from,
      @Nullable String rto,
      @Nullable String rpo,
      List<ComponentTarget> components,
      List<Check> checks,
      @Nullable Boolean deprecated) {
    this(
        name,
        environment,
        description,
        backup,
        at,
        from,
        rto,
        rpo,
        components,
        checks,
        deprecated,
        null);
  }

  /**
   * One place the plan can bring the system up (primary, dr, ...): its own target per component,
   * and the sources a failback backs it up from.
   *
   * @param targets component name to target spec here; components not named keep the plan's
   * @param sources component name to source spec (as for lifeboat backup) of this environment, for
   *     {@code lifeboat failback}, which backs the active environment up before it recovers the
   *     primary from it
   * @param description free text
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Environment(
      Map<String, String> targets,
      @Nullable Map<String, String> sources,
      @Nullable String description) {
    public Environment {
      targets = targets == null ? Map.of() : Map.copyOf(targets);
      sources = sources == null || sources.isEmpty() ? null : Map.copyOf(sources);
    }
  }

  /** The environments the plan names (empty for a plan without). */
  public Map<String, Environment> environmentsOrEmpty() {
    return environments == null ? Map.of() : environments;
  }

  /**
   * This plan aimed at one of its environments: each component's target is the environment's (its
   * test target too), and the plan's environment label is the environment's name.
   *
   * @throws IllegalArgumentException when the plan has no such environment
   */
  public RecoveryPlanSpec forEnvironment(String env) {
    Environment e = environmentsOrEmpty().get(env);
    if (e == null) {
      throw new IllegalArgumentException(
          "plan "
              + name
              + " has no environment "
              + Quoted.brief(env)
              + (environmentsOrEmpty().isEmpty()
                  ? " (it names none: add environments: to it)"
                  : " (it has " + String.join(", ", environmentsOrEmpty().keySet()) + ")"));
    }
    List<ComponentTarget> aimed = new ArrayList<>();
    for (ComponentTarget c : components) {
      String t = e.targets().get(c.name());
      aimed.add(
          t == null
              ? c
              : new ComponentTarget(c.name(), t, c.ifExists(), c.from(), c.after(), null));
    }
    return new RecoveryPlanSpec(
        name,
        env,
        description,
        backup,
        at,
        from,
        rto,
        rpo,
        aimed,
        checks,
        deprecated,
        environments);
  }

  /** A plan in use (not deprecated). */
  public RecoveryPlanSpec(
      String name,
      @Nullable String environment,
      @Nullable String description,
      @Nullable String backup,
      @Nullable String at,
      @Nullable String from,
      @Nullable String rto,
      @Nullable String rpo,
      List<ComponentTarget> components,
      List<Check> checks) {
    this(name, environment, description, backup, at, from, rto, rpo, components, checks, null);
  }

  /** Whether the plan is retired. */
  public boolean retired() {
    return Boolean.TRUE.equals(deprecated);
  }

  /** This plan, retired or back in use. */
  public RecoveryPlanSpec withDeprecated(boolean retired) {
    return new RecoveryPlanSpec(
        name,
        environment,
        description,
        backup,
        at,
        from,
        rto,
        rpo,
        components,
        checks,
        retired ? Boolean.TRUE : null,
        environments);
  }

  /**
   * What the plan does, without its deprecation: two definitions with the same key restore the same
   * way, so a test of one counts for the other.
   */
  public String definitionKey() {
    return withDeprecated(false).toJson();
  }

  /**
   * One component to restore.
   *
   * @param name the component's name in the backups
   * @param target where to restore it: a folder, or a database URI (no password in it)
   * @param ifExists when the target holds data: replace (move it aside; the default), refuse, merge
   * @param from the backup definition name to take it from (overrides the plan's)
   * @param after further components to restore before this one
   * @param testTarget where a recovery test restores it (default: a scratch folder, or a scratch
   *     database on the target's server; needed for kinds that cannot make one, such as redis)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ComponentTarget(
      String name,
      String target,
      @Nullable String ifExists,
      @Nullable String from,
      List<String> after,
      @Nullable String testTarget) {
    public ComponentTarget {
      after = after == null ? List.of() : List.copyOf(after);
    }

    public ComponentTarget(String name, String target) {
      this(name, target, null, null, List.of(), null);
    }

    /** refuse, replace or merge. */
    public String ifExistsOrDefault() {
      return ifExists == null ? "replace" : ifExists.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One user health check: exactly one of sql, http, command.
   *
   * @param name unique within the plan
   * @param sql a query whose first column of the first row must equal {@code expect}
   * @param component the component whose restored database the query runs against
   * @param expect the expected value of the query
   * @param http a URL that a GET must answer with {@code expectStatus} (default 200)
   * @param expectStatus the expected HTTP status
   * @param command a command (one string: run by sh -c; several: the argument vector) that must
   *     exit with {@code expectExit} (default 0); it sees LIFEBOAT_TARGET_&lt;COMPONENT&gt;
   *     variables
   * @param expectExit the expected exit code
   * @param timeout how long the check may take (default 60s)
   * @param inTest whether a recovery test (scratch targets) runs it; default: SQL and command
   *     checks yes, HTTP checks no (the service is not pointed at the scratch targets)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Check(
      String name,
      @Nullable String sql,
      @Nullable String component,
      @Nullable String expect,
      @Nullable String http,
      @Nullable Integer expectStatus,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          @Nullable List<String> command,
      @Nullable Integer expectExit,
      @Nullable String timeout,
      @Nullable Boolean inTest) {

    public static Check sql(String name, String component, String query, String expect) {
      return new Check(name, query, component, expect, null, null, null, null, null, null);
    }

    public static Check http(String name, String url, int expectStatus) {
      return new Check(name, null, null, null, url, expectStatus, null, null, null, null);
    }

    public static Check command(String name, List<String> command) {
      return new Check(name, null, null, null, null, null, command, null, null, null);
    }

    /** sql, http or command (or null when not exactly one is set). */
    public @Nullable String type() {
      int n =
          (sql != null ? 1 : 0)
              + (http != null ? 1 : 0)
              + (command != null && !command.isEmpty() ? 1 : 0);
      if (n != 1) {
        return null;
      }
      return sql != null ? "sql" : http != null ? "http" : "command";
    }

    public Duration timeoutOrDefault() {
      return timeout == null ? Duration.ofSeconds(60) : parseDuration(timeout);
    }

    public boolean runsInTest() {
      return inTest != null ? inTest : !"http".equals(type());
    }
  }

  /** Reads a plan from YAML or JSON text. @throws IllegalArgumentException saying what is wrong */
  public static RecoveryPlanSpec parse(String text) {
    try {
      String t = text.strip();
      RecoveryPlanSpec spec =
          t.startsWith("{")
              ? JSON.readValue(t, RecoveryPlanSpec.class)
              : YAML.readValue(t, RecoveryPlanSpec.class);
      if (spec == null) {
        throw new IllegalArgumentException("the plan is empty");
      }
      return spec;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "cannot read the plan: "
              + e.getOriginalMessage()
              + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""),
          e);
    }
  }

  /** The canonical JSON form (what events carry). */
  public String toJson() {
    return JSON.writeValueAsString(this);
  }

  /** The RTO objective, if the plan states one. */
  public Optional<Duration> rtoObjective() {
    return rto == null ? Optional.empty() : Optional.of(parseDuration(rto));
  }

  /** The RPO objective, if the plan states one. */
  public Optional<Duration> rpoObjective() {
    return rpo == null ? Optional.empty() : Optional.of(parseDuration(rpo));
  }

  /** The plan's default point in time, if any. */
  public Optional<Instant> pointInTime() {
    return at == null ? Optional.empty() : Optional.of(parseInstant(at));
  }

  public Optional<ComponentTarget> component(String componentName) {
    return components.stream().filter(c -> componentName.equals(c.name())).findFirst();
  }

  /** Everything wrong with the plan, each a sentence; empty when it is well-formed. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add(
          "plan name " + Quoted.brief(name) + " must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (backup != null && at != null) {
      problems.add("give either backup or at, not both");
    }
    for (Map.Entry<String, Environment> e : environmentsOrEmpty().entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        problems.add(
            "environment name "
                + Quoted.brief(e.getKey())
                + " must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      e.getValue()
          .targets()
          .forEach(
              (c, t) -> {
                if (relative(t)) {
                  problems.add(
                      "environment "
                          + e.getKey()
                          + ": the target of "
                          + c
                          + " is a relative path; name targets by an absolute path or a URI");
                }
              });
      for (String c : e.getValue().targets().keySet()) {
        if (component(c).isEmpty()) {
          problems.add(
              "environment "
                  + e.getKey()
                  + " names a target for "
                  + c
                  + ", which the plan does not restore");
        }
      }
    }
    if (at != null) {
      try {
        parseInstant(at);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (rto != null) {
      try {
        parseDuration(rto);
      } catch (IllegalArgumentException e) {
        problems.add("rto: " + e.getMessage());
      }
    }
    if (rpo != null) {
      try {
        parseDuration(rpo);
      } catch (IllegalArgumentException e) {
        problems.add("rpo: " + e.getMessage());
      }
    }
    if (components.isEmpty()) {
      problems.add("the plan restores no components");
    }
    Set<String> names = new HashSet<>();
    for (ComponentTarget c : components) {
      String label = "component " + c.name();
      if (c.name() == null || !NAME.matcher(c.name()).matches()) {
        problems.add(
            "component name '" + c.name() + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
      } else if (!names.add(c.name())) {
        problems.add(label + " is listed twice");
      }
      if (c.target() == null || c.target().isBlank()) {
        problems.add(label + ": target is missing");
      } else if (SpecCredentials.hasPassword(c.target())) {
        problems.add(
            label
                + ": the target carries a password; use ?passwordFile= or the executor's environment"
                + " (PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH)");
      }
      if (c.testTarget() != null && SpecCredentials.hasPassword(c.testTarget())) {
        problems.add(
            label
                + ": the testTarget carries a password; use ?passwordFile= or the executor's environment");
      }
      for (String t : java.util.Arrays.asList(c.target(), c.testTarget())) {
        if (relative(t)) {
          problems.add(
              label
                  + ": "
                  + Quoted.brief(t)
                  + " is a relative path; name targets by an absolute path or a URI (a relative"
                  + " one would land in the working folder of the executor)");
        }
      }
      if (c.ifExists() != null && !IF_EXISTS.contains(c.ifExists().toLowerCase(Locale.ROOT))) {
        problems.add(
            label + ": ifExists must be replace, refuse or merge, got '" + c.ifExists() + "'");
      }
    }
    for (ComponentTarget c : components) {
      for (String a : c.after()) {
        if (!names.contains(a)) {
          problems.add("component " + c.name() + ": after names an unknown component '" + a + "'");
        }
      }
    }
    cycle()
        .ifPresent(
            c ->
                problems.add(
                    "components depend on each other in a cycle: " + String.join(" -> ", c)));
    Set<String> checkNames = new HashSet<>();
    for (Check k : checks) {
      String label = "check " + k.name();
      if (k.name() == null || !NAME.matcher(k.name()).matches()) {
        problems.add(
            "check name '" + k.name() + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
      } else if (!checkNames.add(k.name())) {
        problems.add(label + " is listed twice");
      }
      String type = k.type();
      if (type == null) {
        problems.add(label + ": give exactly one of sql, http, command");
        continue;
      }
      if (type.equals("sql")) {
        if (k.component() == null || !names.contains(k.component())) {
          problems.add(
              label
                  + ": a sql check names the component whose database it queries (component: NAME)");
        }
        if (k.expect() == null) {
          problems.add(label + ": a sql check needs expect: the value the query must return");
        }
      }
      if (type.equals("http")) {
        String url = Objects.requireNonNull(k.http()); // type() is http only when http is set
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
          problems.add(label + ": http must be an http:// or https:// URL");
        } else if (SpecCredentials.hasSecret(url)) {
          problems.add(
              label
                  + ": the URL carries a password or a secret parameter; HTTP checks send no"
                  + " credentials (a plan is readable by every viewer)");
        }
      }
      if (k.timeout() != null) {
        try {
          parseDuration(k.timeout());
        } catch (IllegalArgumentException e) {
          problems.add(label + ": timeout: " + e.getMessage());
        }
      }
    }
    return problems;
  }

  /** A folder target given relative to some working folder (a URI or an absolute path is not). */
  private static boolean relative(@Nullable String target) {
    return target != null
        && !target.isBlank()
        && !target.contains("://")
        && !target.strip().startsWith("/");
  }

  /**
   * Whether defining or changing the plan is an admin's: any of its checks runs something against a
   * server (SQL, HTTP) or on the executor's host (a command).
   */
  public boolean hasChecks() {
    return !checks.isEmpty();
  }

  private Optional<List<String>> cycle() {
    Map<String, List<String>> deps = new HashMap<>();
    components.forEach(c -> deps.put(c.name(), c.after()));
    for (String start : deps.keySet()) {
      List<String> path = new ArrayList<>();
      if (reaches(start, start, deps, path, new LinkedHashSet<>())) {
        path.add(0, start);
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private static boolean reaches(
      String from,
      String goal,
      Map<String, List<String>> deps,
      List<String> path,
      Set<String> seen) {
    for (String next : deps.getOrDefault(from, List.of())) {
      if (next.equals(goal)) {
        path.add(next);
        return true;
      }
      if (seen.add(next) && reaches(next, goal, deps, path, seen)) {
        path.add(0, next);
        return true;
      }
    }
    return false;
  }

  /** 90s, 15m, 1h30m, 2d, or ISO-8601 (PT15M). */
  public static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration (90s, 15m, 1h30m, 2d, PT15M)");
      }
    }
    Matcher m = DURATION.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (90s, 15m, 1h30m, 2d, PT15M)");
    }
    long seconds = 0;
    seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 86_400;
    seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 3600;
    seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3)) * 60;
    seconds += m.group(4) == null ? 0 : Long.parseLong(m.group(4));
    return Duration.ofSeconds(seconds);
  }

  /** 2026-11-20T03:00:00Z, 2026-11-20T03:00Z, or a date (midnight UTC). */
  public static Instant parseInstant(String text) {
    String t = text.strip();
    try {
      if (t.length() == 10) {
        return java.time.LocalDate.parse(t).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
      }
      return java.time.OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a point in time (2026-11-20T03:00Z or 2026-11-20)");
    }
  }
}
