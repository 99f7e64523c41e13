package io.lifeboat.stage.common.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Who may call the API, in one of two modes ({@code lifeboat.auth.mode}):
 *
 * <ul>
 *   <li>{@code single} (the default): one token ({@code lifeboat.api.token}) is the admin {@code
 *       api}; reads need no token; without a token configured, changes over the API are off.
 *   <li>{@code roles}: named tokens with roles from the tokens file ({@code
 *       lifeboat.auth.tokens-file}, default {@code $LIFEBOAT_HOME/api-tokens}); every call, reads
 *       too, needs one. The single token, when configured, still acts as the admin {@code api}, so
 *       the command line and scripts on the Lifeboat host keep working.
 * </ul>
 *
 * <p>Production: a recovery or restore whose plan environment is one of {@code
 * lifeboat.auth.production.environments} (default production, prod), or whose target matches one of
 * the globs in {@code lifeboat.auth.production.targets}, needs admin.
 */
public final class ApiAccess {

  public enum Mode {
    SINGLE,
    ROLES
  }

  /** The name the single token acts under. */
  public static final String SINGLE_TOKEN_NAME = "api";

  private final Mode mode;
  private final byte @Nullable [] singleToken;
  private final @Nullable TokenStore tokens;
  private final List<String> productionEnvironments;
  private final ProductionTargets productionTargets;
  private Set<String> approvals = Set.of();
  private Duration approvalTtl = Duration.ofHours(24);

  /** The operation name that stands for any change into production, in approval lists. */
  public static final String PRODUCTION = "production";

  /** Request attribute: the operation this request runs needs a second admin's approval. */
  public static final String APPROVAL = "io.lifeboat.approval";

  public ApiAccess(
      Mode mode,
      @Nullable String singleToken,
      @Nullable TokenStore tokens,
      List<String> productionEnvironments,
      List<String> productionTargets) {
    this.mode = mode;
    this.singleToken =
        singleToken == null || singleToken.isBlank()
            ? null
            : singleToken.strip().getBytes(StandardCharsets.UTF_8);
    this.tokens = tokens;
    this.productionEnvironments =
        productionEnvironments.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
    this.productionTargets = new ProductionTargets(productionTargets);
  }

  public static ApiAccess from(Environment env) {
    String m = env.getProperty("lifeboat.auth.mode", "single").strip().toUpperCase(Locale.ROOT);
    Mode mode;
    try {
      mode = Mode.valueOf(m);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "lifeboat.auth.mode must be single or roles, got '" + m.toLowerCase(Locale.ROOT) + "'");
    }
    String home = env.getProperty("lifeboat.home", System.getProperty("user.home") + "/.lifeboat");
    String file = env.getProperty("lifeboat.auth.tokens-file", home + "/api-tokens");
    ApiAccess access =
        new ApiAccess(
            mode,
            env.getProperty("lifeboat.api.token"),
            mode == Mode.ROLES ? new TokenStore(Path.of(file)) : null,
            list(env.getProperty("lifeboat.auth.production.environments", "production,prod")),
            list(env.getProperty("lifeboat.auth.production.targets", "")));
    return access.withApprovals(
        list(env.getProperty("lifeboat.approvals.operations", "")),
        duration(env.getProperty("lifeboat.approvals.ttl", "24h")));
  }

  /** {@code 24h}, {@code 90s}, {@code 30m}, or ISO-8601 ({@code PT24H}). */
  static Duration duration(String s) {
    String v = s.strip().toUpperCase(Locale.ROOT);
    return Duration.parse(v.startsWith("P") ? v : "PT" + v);
  }

  /**
   * Four eyes: these operations (action names such as {@code backup.delete}, {@code
   * recovery.rollback}, {@code schedule.define}, or {@value #PRODUCTION} for any change into
   * production) wait for a second admin's approval, at most {@code ttl}.
   *
   * @throws IllegalStateException in single mode (one token cannot be two people) or for an unknown
   *     operation name
   */
  public ApiAccess withApprovals(List<String> operations, Duration ttl) {
    java.util.Set<String> known = new java.util.TreeSet<>();
    for (Operation o : Operation.values()) {
      if (o != Operation.READ && o != Operation.BREAK_GLASS) { // a record, nothing to hold
        known.add(o.action());
      }
    }
    known.add(PRODUCTION);
    for (String op : operations) {
      if (!known.contains(op)) {
        throw new IllegalStateException(
            "lifeboat.approvals.operations: unknown operation '" + op + "'; known: " + known);
      }
    }
    if (!operations.isEmpty() && mode != Mode.ROLES) {
      throw new IllegalStateException(
          "lifeboat.approvals.operations needs lifeboat.auth.mode=roles: with one token there is"
              + " no second person to approve");
    }
    this.approvals = Set.copyOf(operations);
    this.approvalTtl = ttl;
    return this;
  }

  /** Whether this operation waits for a second admin. */
  public boolean needsApproval(String action) {
    return approvals.contains(action);
  }

  /** How long a held change waits for its approval. */
  public Duration approvalTtl() {
    return approvalTtl;
  }

  private static List<String> list(String csv) {
    return java.util.Arrays.stream(csv.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  public Mode mode() {
    return mode;
  }

  /** Whether reads need a token (roles mode). */
  public boolean readsNeedToken() {
    return mode == Mode.ROLES;
  }

  /** Whether some token can change things over the API. */
  public boolean changesPossible() {
    return singleToken != null || mode == Mode.ROLES;
  }

  /**
   * The actor an {@code Authorization} header names: empty when it names none (no header, not
   * Bearer, an unknown or wrong token).
   */
  public Optional<Actor> authenticate(@Nullable String authorizationHeader, String source) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
      return Optional.empty();
    }
    String given = authorizationHeader.substring("Bearer ".length()).strip();
    if (singleToken != null
        && MessageDigest.isEqual(singleToken, given.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of(new Actor(SINGLE_TOKEN_NAME, Role.ADMIN, Actor.HOST_TOKEN_ID, source));
    }
    if (tokens != null) {
      return tokens.authenticate(given).map(e -> new Actor(e.name(), e.role(), e.id(), source));
    }
    return Optional.empty();
  }

  /** Whether a recovery into this environment or these targets touches production. */
  public boolean production(@Nullable String environment, Collection<String> targets) {
    if (environment != null
        && productionEnvironments.contains(environment.strip().toLowerCase(Locale.ROOT))) {
      return true;
    }
    return targets.stream().anyMatch(t -> t != null && productionTargets.test(t));
  }

  /**
   * The actor the API's filter authenticated for this request; anonymous (no role) when it set
   * none, so that a request the filter did not see can never act as an admin.
   */
  public static Actor actor(HttpServletRequest request) {
    Object a = request.getAttribute(Actor.ATTRIBUTE);
    return a instanceof Actor actor ? actor : Actor.anonymous(request.getRemoteAddr());
  }

  /**
   * Refuses the request unless its actor has {@code required} for {@code operation}.
   *
   * @param why what makes this request need more than {@code operation} usually does, e.g. "it
   *     recovers into production"
   * @throws AccessRefusedException answered 403 with the reason
   */
  public static void require(
      HttpServletRequest request, Operation operation, Role required, String why) {
    Actor actor = actor(request);
    if (required == Role.ADMIN
        && request.getAttribute(ApiAccess.class.getName()) instanceof ApiAccess access
        && access.needsApproval(PRODUCTION)) {
      request.setAttribute(APPROVAL, PRODUCTION);
    }
    if (!actor.may(required)) {
      throw new AccessRefusedException(
          operation,
          required,
          operation.action()
              + " needs the "
              + required.label()
              + " role"
              + (why.isEmpty() ? "" : " because " + why)
              + "; "
              + actor.name()
              + " is "
              + (actor.role() == null ? "not authenticated" : actor.role().label()));
    }
  }
}
