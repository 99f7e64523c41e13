package io.lifeboat.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * Four eyes from the command line: {@code lifeboat approvals} lists held changes, {@code lifeboat
 * approve ID} and {@code lifeboat reject ID} decide one, as the admin whose token the command sends
 * (--token-file or LIFEBOAT_TOKEN).
 */
final class ApprovalCommands {

  private ApprovalCommands() {}

  @Command(
      name = "approvals",
      description =
          "Changes waiting for a second admin's approval (and decided ones with --status).")
  static final class ListApprovals implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Option(
        names = "--status",
        defaultValue = "PENDING_APPROVAL",
        description = "PENDING_APPROVAL (default), RELEASED, REJECTED, EXPIRED, or all")
    String status;

    @Option(names = "--json", description = "One JSON object per change, one per line")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      String q = status.equalsIgnoreCase("all") ? "" : "?status=" + status;
      JsonNode list = ApiGet.get(settings, "/api/approvals" + q).orElseThrow();
      if (json) {
        list.forEach(e -> out.println(e.toString()));
        return ExitCodes.OK;
      }
      out.printf(
          "%-16s %-17s %-20s %-14s %-24s %s%n",
          "ID", "STATUS", "ACTION", "REQUESTER", "EXPIRES", "WHAT");
      for (JsonNode a : list) {
        out.printf(
            "%-16s %-17s %-20s %-14s %-24s %s%n",
            a.path("requestId").asString(""),
            a.path("status").asString(""),
            a.path("action").asString(""),
            a.path("requester").asString(""),
            a.path("expiresAt").asString(""),
            a.path("summary").asString(""));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "approve", description = "Approve a held change: it runs once. Not your own.")
  static final class Approve implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(paramLabel = "ID", description = "The held change's request id")
    String id;

    @Option(names = "--reason", description = "Recorded with the approval")
    String reason;

    @Override
    public Integer call() throws CliException {
      return decide(settings, id, "approve", reason, System.out);
    }
  }

  @Command(name = "reject", description = "Reject a held change: it never runs.")
  static final class Reject implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(paramLabel = "ID", description = "The held change's request id")
    String id;

    @Option(names = "--reason", description = "Recorded with the rejection")
    String reason;

    @Override
    public Integer call() throws CliException {
      return decide(settings, id, "reject", reason, System.out);
    }
  }

  static int decide(CliSettings settings, String id, String verb, String reason, PrintStream out)
      throws CliException {
    String path =
        "/api/approvals/"
            + URLEncoder.encode(id, StandardCharsets.UTF_8)
            + "/"
            + verb
            + (reason == null
                ? ""
                : "?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8));
    Map.Entry<Integer, JsonNode> r = ApiGet.post(settings, path);
    int status = r.getKey();
    JsonNode body = r.getValue();
    if (status == 200 || status == 202) {
      out.println(
          id
              + ": "
              + body.path("status").asString("")
              + " by "
              + body.path("approver").asString(""));
      return ExitCodes.OK;
    }
    String error = body.path("error").asString("answered " + status);
    throw new CliException(
        status == 403 || status == 409 ? ExitCodes.REJECTED : ExitCodes.ERROR,
        verb + " " + id + " refused (" + status + "): " + error);
  }
}
