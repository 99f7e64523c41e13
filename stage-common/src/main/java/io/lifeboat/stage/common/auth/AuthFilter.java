package io.lifeboat.stage.common.auth;

import io.lifeboat.events.AuditEvent;
import io.lifeboat.events.Envelopes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /api/} request and refuses what its role may not do, before any
 * controller runs (after {@link io.lifeboat.stage.common.ApiGuard}). Every request that changes
 * something, and every refusal, becomes an {@link AuditEvent} when this process has an {@link
 * AuditSink} (the coordinator, whose API takes the changes).
 *
 * <p>Answers: 401 without a token it knows, 403 with {@code operation}, {@code required} and {@code
 * role} when the role is not enough. A controller that needs more than the route's least role
 * (production) throws {@link AccessRefusedException}; {@link AuthAdvice} answers it the same way.
 */
public final class AuthFilter extends OncePerRequestFilter implements Ordered {

  /** Request attribute: why a controller refused, for the audit event. */
  public static final String REASON = "io.lifeboat.audit.reason";

  /** Request attribute: the outcome to record instead of the one the status says. */
  public static final String OUTCOME = "io.lifeboat.audit.outcome";

  /** Request attribute: details a controller adds to the audit event (a map of strings). */
  public static final String DETAILS = "io.lifeboat.audit.details";

  /**
   * Request attribute: what the request really asks (action and target), when the route alone
   * cannot tell ({@code POST /api/requests} carries any request): an {@link ApiRoutes.Route}.
   */
  public static final String ASKED = "io.lifeboat.audit.asked";

  /**
   * Request attribute: the controller wrote this request's audit event itself (a break-glass
   * record, which must be on the topic before the answer), so the filter writes none.
   */
  public static final String RECORDED = "io.lifeboat.audit.recorded";

  /**
   * What roles mode serves without a token outside {@code /api/}: the probes and the files of the
   * dashboard and of Swagger UI (they hold no data; the dashboard asks for a token to read). The
   * rest (the Prometheus series, which name backups and locations, the API description, anything
   * else) needs a token of any role.
   */
  static final java.util.Set<String> OPEN_FILES =
      java.util.Set.of(
          "/", "/index.html", "/dashboard.js", "/dashboard.css", "/favicon.ico", "/error");

  private static final Logger log = LoggerFactory.getLogger(AuthFilter.class);

  private final ApiAccess access;
  private final ObjectProvider<AuditSink> audit;

  /** Source address to when its last refused read was audited. */
  private final Map<String, Long> readRefusals = new java.util.concurrent.ConcurrentHashMap<>();

  public AuthFilter(ApiAccess access, ObjectProvider<AuditSink> audit) {
    this.access = access;
    this.audit = audit;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    // what the server maps: "/api;x=1/backups" is /api/backups to the controllers, and must not go
    // around this filter (it did: unauthenticated, and a change then ran as the admin api)
    String mapped = mappedPath(request);
    if (path == null || !(path.startsWith("/api/") || mapped.startsWith("/api/"))) {
      if (access.readsNeedToken() && !openWithoutToken(mapped)) {
        outsideTheApi(request, response, chain);
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    ApiRoutes.Route route = ApiRoutes.classify(request.getMethod(), mapped);
    String source = String.valueOf(request.getRemoteAddr());
    Optional<Actor> authenticated = access.authenticate(request.getHeader("Authorization"), source);
    Actor actor = authenticated.orElse(Actor.anonymous(source));
    boolean read = route.operation() == Operation.READ;
    if (read && !access.readsNeedToken()) {
      chain.doFilter(request, response);
      return;
    }
    if (!read && !access.changesPossible()) {
      String why =
          "changes over the API are disabled: no API token is configured (lifeboat.api.token)";
      answer(response, 403, Map.of("error", why));
      record(request, route, actor, "REFUSED", 403, why, Role.ADMIN);
      return;
    }
    if (authenticated.isEmpty()) {
      String why =
          read
              ? "this API needs a token: send Authorization: Bearer <your token> (lifeboat token add)"
              : "this call changes something: send Authorization: Bearer <the API token>";
      response.setHeader("WWW-Authenticate", "Bearer");
      answer(response, 401, Map.of("error", why));
      if (!read || firstReadRefusalInAMinute(source)) {
        record(request, route, actor, "UNAUTHENTICATED", 401, why, route.operation().required());
      }
      return;
    }
    Role required = route.operation().required();
    if (!actor.may(required)) {
      String why =
          route.operation().action()
              + " needs the "
              + required.label()
              + " role; "
              + actor.name()
              + " is "
              + java.util.Objects.requireNonNull(actor.role()).label();
      answer(response, 403, refusal(why, route.operation(), required, actor));
      record(request, route, actor, "REFUSED", 403, why, required);
      return;
    }
    request.setAttribute(Actor.ATTRIBUTE, actor);
    request.setAttribute(ApiAccess.class.getName(), access);
    if (!read && access.needsApproval(route.operation().action())) {
      request.setAttribute(ApiAccess.APPROVAL, route.operation().action());
    }
    if (read) {
      chain.doFilter(request, response);
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      // unless the controller wrote the event itself (and only when it succeeded)
      if (request.getAttribute(RECORDED) == null) {
        int status = response.getStatus();
        Object reason = request.getAttribute(REASON);
        Object held = request.getAttribute(OUTCOME);
        String outcome =
            held != null
                ? held.toString()
                : status < 400 ? "ACCEPTED" : status == 403 ? "REFUSED" : "FAILED";
        Object refusedFor = request.getAttribute(REQUIRED);
        record(
            request,
            route,
            actor,
            outcome,
            status,
            reason == null ? "" : reason.toString(),
            refusedFor instanceof Role r ? r : required);
      }
    }
  }

  /**
   * Roles mode, outside {@code /api/}: the Prometheus series ({@code /actuator/prometheus}), the
   * API description ({@code /v3/api-docs}) and anything else not open ({@link #openWithoutToken})
   * need a token of any role; 401 otherwise, audited like a refused read.
   */
  private void outsideTheApi(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String source = String.valueOf(request.getRemoteAddr());
    Optional<Actor> authenticated = access.authenticate(request.getHeader("Authorization"), source);
    if (authenticated.isPresent()) {
      request.setAttribute(Actor.ATTRIBUTE, authenticated.get());
      chain.doFilter(request, response);
      return;
    }
    String why =
        "with roles on, this needs a token of any role: send Authorization: Bearer <your token>"
            + " (lifeboat token add NAME --role viewer); Prometheus: authorization:"
            + " credentials_file";
    response.setHeader("WWW-Authenticate", "Bearer");
    answer(response, 401, Map.of("error", why));
    if (firstReadRefusalInAMinute(source)) {
      record(
          request,
          new ApiRoutes.Route(Operation.READ, ""),
          Actor.anonymous(source),
          "UNAUTHENTICATED",
          401,
          why,
          Role.VIEWER);
    }
  }

  /**
   * The path as the server maps it to a handler: decoded, normalized, without path parameters
   * ({@code ;x=y}) or doubled slashes; the request URI when the container gives none.
   */
  static String mappedPath(HttpServletRequest request) {
    String servlet = request.getServletPath();
    String info = request.getPathInfo();
    String p = (servlet == null ? "" : servlet) + (info == null ? "" : info);
    if (p.isEmpty()) {
      String uri = request.getRequestURI();
      p = uri == null || uri.isEmpty() ? "/" : uri;
    }
    return p;
  }

  /** What roles mode serves without a token outside {@code /api/}: probes and static files. */
  static boolean openWithoutToken(String path) {
    return OPEN_FILES.contains(path)
        || path.equals("/actuator/health")
        || path.startsWith("/actuator/health/")
        || path.equals("/swagger-ui.html")
        || path.startsWith("/swagger-ui/");
  }

  /**
   * Whether a read refused for want of a token is the first from this address in a minute: a
   * dashboard left open without a token (or a scanner) must not flood the audit trail. Refused
   * changes are always recorded.
   */
  private boolean firstReadRefusalInAMinute(String source) {
    long now = System.currentTimeMillis();
    if (readRefusals.size() > 10_000) {
      readRefusals.clear();
    }
    Long before = readRefusals.put(source, now);
    if (before != null && now - before < 60_000) {
      readRefusals.put(source, before);
      return false;
    }
    return true;
  }

  /** Request attribute: the role a controller's refusal needed. */
  static final String REQUIRED = "io.lifeboat.audit.required";

  static Map<String, Object> refusal(String why, Operation operation, Role required, Actor actor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", why);
    body.put("operation", operation.action());
    body.put("required", required.label());
    body.put("role", actor.role() == null ? "" : actor.role().label());
    body.put("actor", actor.name());
    return body;
  }

  private void record(
      HttpServletRequest request,
      ApiRoutes.Route route,
      Actor actor,
      String outcome,
      int status,
      String reason,
      Role required) {
    AuditSink sink = audit.getIfAvailable();
    if (sink == null) {
      if (!outcome.equals("ACCEPTED")) {
        log.info(
            "{} {} {} by {} from {}: {}",
            outcome,
            request.getMethod(),
            request.getRequestURI(),
            actor.name(),
            actor.source(),
            reason);
      }
      return;
    }
    Map<String, String> details = new LinkedHashMap<>();
    if (request.getAttribute(DETAILS) instanceof Map<?, ?> extra) {
      extra.forEach((k, v) -> details.put(String.valueOf(k), String.valueOf(v)));
    }
    if (request.getAttribute(ASKED) instanceof ApiRoutes.Route asked) {
      route = asked;
    }
    String target = route.target();
    AuditEvent event =
        AuditEvent.newBuilder()
            .setEnvelope(Envelopes.next(target.isEmpty() ? request.getRequestURI() : target))
            .setAction(route.operation().action())
            .setTarget(target)
            .setOutcome(outcome)
            .setActor(actor.authenticated() ? actor.name() : "")
            .setRole(actor.role() == null ? "" : actor.role().label())
            .setTokenId(actor.tokenId())
            .setAuthenticated(actor.authenticated())
            .setSource(actor.source())
            .setService("api")
            .setMethod(request.getMethod())
            .setPath(request.getRequestURI())
            .setStatus(status)
            .setRequired(outcome.equals("ACCEPTED") ? "" : required.label())
            .setReason(reason)
            .setDetails(details)
            .build();
    try {
      sink.record(event);
    } catch (RuntimeException e) {
      log.warn(
          "cannot record an audit event for {} {}: {}",
          request.getMethod(),
          request.getRequestURI(),
          e.toString());
    }
  }

  private static void answer(HttpServletResponse response, int status, Map<String, ?> body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json(body));
  }

  /** A flat JSON object of strings. */
  static String json(Map<String, ?> body) {
    StringBuilder out = new StringBuilder("{");
    body.forEach(
        (k, v) -> {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append(quote(k)).append(':').append(quote(String.valueOf(v)));
        });
    return out.append('}').toString();
  }

  private static String quote(@Nullable String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : String.valueOf(s).toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
