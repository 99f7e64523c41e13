package io.lifeboat.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code lifeboat audit}: who changed what through the API, and what was refused. */
@Command(
    name = "audit",
    description =
        "The audit trail: every API call that changed something or was refused (who, what, when,"
            + " from where, outcome), newest first.")
final class AuditCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(names = "--actor", description = "Only this token name")
  String actor;

  @Option(
      names = "--action",
      description = "Only this action or family, e.g. backup.delete, backup")
  String action;

  @Option(names = "--outcome", description = "Only ACCEPTED, REFUSED, UNAUTHENTICATED or FAILED")
  String outcome;

  @Option(names = "--target", description = "Only this backup id, plan, schedule or execution")
  String target;

  @Option(names = "--since", description = "From this instant, e.g. 2026-12-01T00:00:00Z")
  String since;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50)")
  int limit;

  @Option(names = "--json", description = "One JSON object per event, one per line")
  boolean json;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("actor", actor);
    q.put("action", action);
    q.put("outcome", outcome);
    q.put("target", target);
    q.put("since", since);
    q.put("limit", Integer.toString(limit));
    StringBuilder path = new StringBuilder("/api/audit");
    char sep = '?';
    for (var e : q.entrySet()) {
      if (e.getValue() != null && !e.getValue().isBlank()) {
        path.append(sep)
            .append(e.getKey())
            .append('=')
            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    JsonNode events = ApiGet.get(settings, path.toString()).orElseThrow();
    if (json) {
      events.forEach(e -> out.println(e.toString()));
      return ExitCodes.OK;
    }
    out.printf(
        "%-24s %-16s %-18s %-15s %-10s %s%n",
        "TIME", "ACTOR", "ACTION", "OUTCOME", "FROM", "TARGET / REASON");
    for (JsonNode e : events) {
      String actorName = e.path("actor").asString("");
      String role = e.path("role").asString("");
      String reason = e.path("reason").asString("");
      out.printf(
          "%-24s %-16s %-18s %-15s %-10s %s%n",
          e.path("time").asString(""),
          actorName.isEmpty() ? "-" : actorName + (role.isEmpty() ? "" : "/" + role),
          e.path("action").asString(""),
          e.path("outcome").asString("")
              + (e.path("status").asInt() > 0 ? " " + e.path("status").asInt() : ""),
          e.path("source").asString(""),
          e.path("target").asString("") + (reason.isEmpty() ? "" : "  " + reason));
    }
    return ExitCodes.OK;
  }
}
