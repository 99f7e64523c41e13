package io.lifeboat.cli;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat failover PLAN --to dr}: recovers the plan's components into the targets of its
 * {@code dr} environment, as a recovery saga (validated first, rolled back if any step or check
 * fails), from whichever storage location still answers: a PostgreSQL base backup replays its
 * archived WAL to the end, so the data loss is the age of the newest archived WAL. Reports that
 * loss (the RPO achieved) and the RTO, and the environment that is now active.
 */
@Command(
    name = "failover",
    description =
        "Bring a plan's components up in another of its environments (e.g. --to dr) from the newest data, and report the RPO achieved and the RTO.")
final class FailoverCommand extends PlanCommand.Run {

  @Option(names = "--to", required = true, description = "The environment to bring up (e.g. dr)")
  String to;

  @Override
  RecoveryMode mode() {
    return RecoveryMode.EXECUTE;
  }

  @Override
  String commandName() {
    return "failover";
  }

  @Override
  public Integer call() throws CliException {
    environment = to;
    if (at != null || backup != null) {
      throw new CliException(
          ExitCodes.USAGE, "a failover recovers the newest data: no --at or --backup");
    }
    PrintStream stdout = out;
    int code = super.call();
    report(lastExecution, to, stdout);
    return code;
  }

  /** What a failover or failback achieved, in the terms of a DR runbook. */
  static void report(
      @org.jspecify.annotations.Nullable RecoveryExecution x, String environment, PrintStream out) {
    if (x == null || x.getStatus() != RecoveryStatus.SUCCEEDED) {
      out.println("environment " + environment + " is NOT active: the recovery did not succeed");
      return;
    }
    out.println(
        "environment " + environment + " is now active (execution " + x.getExecutionId() + ")");
    if (x.getDataAsOf() != null) {
      out.println(
          "  data as of:   "
              + x.getDataAsOf()
              + " (RPO achieved: "
              + Format.duration(x.getRpoMs())
              + " of changes before the request are not in it)");
    }
    out.println("  RTO:          " + Format.duration(x.getRtoMs()) + " from request to checked");
  }
}
