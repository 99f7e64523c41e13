package io.lifeboat.cli;

import io.lifeboat.client.RecoveryManager;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.model.LifeboatClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code lifeboat recover PLAN}: one command that restores an environment from its plan, in order,
 * checks it, and undoes everything if a step fails; {@code recover rollback ID} undoes a finished
 * recovery; {@code recover status ID} and {@code recover list} show executions.
 */
@Command(
    name = "recover",
    description =
        "Run a recovery plan: restore every component in order, run the checks, roll everything back if a step fails. Subcommands: rollback, status, list.",
    subcommands = {
      RecoverCommand.Rollback.class,
      RecoverCommand.Status.class,
      RecoverCommand.ListExecutions.class
    })
final class RecoverCommand extends PlanCommand.Run {

  @Option(names = "--no-wait", description = "Print the execution id and return at once")
  boolean noWait;

  @Override
  RecoveryMode mode() {
    return RecoveryMode.EXECUTE;
  }

  @Override
  String commandName() {
    return "recover";
  }

  @Override
  public Integer call() throws CliException {
    if (name != null && noWait) {
      if (at != null && backup != null) {
        throw new CliException(ExitCodes.USAGE, "give either --at or --backup, not both");
      }
      try (RecoveryManager m = settings.recoveries()) {
        out.println(m.start(name, RecoveryMode.EXECUTE, PlanCommand.at(at), backup, force));
        return ExitCodes.OK;
      }
    }
    return super.call();
  }

  @Command(
      name = "rollback",
      description =
          "Undo a finished recovery: put back the originals it moved aside (while they are kept).")
  static final class Rollback implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "EXECUTION_ID")
    String executionId;

    @Option(
        names = "--timeout",
        defaultValue = "PT1H",
        description = "Give up waiting after this long (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--json", description = "Print the final state as one JSON object")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      RecoveryExecution x;
      try (RecoveryManager m = settings.recoveries()) {
        x =
            m.rollback(
                executionId,
                timeout,
                json ? new RecoveryManager.Listener() {} : new RecoveryPrinter(out, false));
      } catch (LifeboatClientException e) {
        throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
      }
      if (x == null) {
        throw new CliException(
            ExitCodes.TIMED_OUT,
            "no answer about execution "
                + executionId
                + " within "
                + timeout
                + " (unknown execution id, or the coordinator is not running)");
      }
      if (json) {
        out.println(Json.line(RecoveryPrinter.json(x)));
      } else {
        RecoveryPrinter.summary(x, out);
      }
      // the coordinator answers a rollback it will not do with a notice saying why
      if (x.getNotice() != null && !x.getNotice().startsWith("rollback requested")) {
        throw new CliException(ExitCodes.REJECTED, x.getNotice());
      }
      return RecoveryPrinter.exitCode(x);
    }
  }

  @Command(
      name = "status",
      description = "Show an execution (and with --follow, follow it until it ends).")
  static final class Status implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "EXECUTION_ID")
    String executionId;

    @Option(names = "--follow", description = "Follow it until it ends, with progress")
    boolean follow;

    @Option(names = "--json", description = "Print the state as one JSON object")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      RecoveryExecution x;
      try (RecoveryManager m = settings.recoveries()) {
        x =
            m.follow(
                executionId,
                follow ? Duration.ofHours(12) : Duration.ofSeconds(5),
                follow && !json
                    ? new RecoveryPrinter(out, true)
                    : new RecoveryManager.Listener() {});
      } catch (LifeboatClientException e) {
        throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
      }
      if (x == null) {
        throw new CliException(ExitCodes.ERROR, "no execution " + executionId);
      }
      if (json) {
        out.println(Json.line(RecoveryPrinter.json(x)));
      } else {
        RecoveryPrinter.summary(x, out);
      }
      return RecoveryManager.isFinal(x.getStatus()) ? RecoveryPrinter.exitCode(x) : ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      description = "List recovery executions and tests from the catalog, newest first.")
  static final class ListExecutions implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Option(names = "--plan", description = "Only this plan")
    String plan;

    @Option(names = "--mode", description = "Only EXECUTE, TEST or VALIDATE")
    String mode;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "At most this many (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "The API's JSON")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      StringBuilder q = new StringBuilder("/api/recoveries?limit=" + limit);
      if (plan != null) {
        q.append("&plan=").append(PlanCommand.encode(plan));
      }
      if (mode != null) {
        q.append("&mode=").append(PlanCommand.encode(mode));
      }
      JsonNode list = ApiGet.get(settings, q.toString()).orElseThrow();
      if (json) {
        out.println(list);
        return ExitCodes.OK;
      }
      out.println(
          String.format(
              Locale.ROOT,
              "%-16s %-16s %-8s %-12s %-22s %9s %9s",
              "EXECUTION",
              "PLAN",
              "MODE",
              "STATUS",
              "REQUESTED",
              "RTO",
              "OBJECTIVE"));
      for (JsonNode x : list) {
        long rto = x.get("rtoMs").asLong();
        long objective = x.get("objectiveRtoMs").asLong();
        out.println(
            String.format(
                Locale.ROOT,
                "%-16s %-16s %-8s %-12s %-22s %9s %9s",
                x.get("executionId").asString(),
                x.get("planName").asString(),
                x.get("mode").asString(),
                x.get("status").asString(),
                PlanCommand.text(x, "requestedAt").replaceFirst("\\.\\d+Z$", "Z"),
                rto > 0 ? Format.duration(rto) : "-",
                objective > 0 ? Format.duration(objective) : "-"));
      }
      return ExitCodes.OK;
    }
  }
}
