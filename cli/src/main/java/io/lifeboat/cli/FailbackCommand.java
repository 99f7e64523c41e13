package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.client.RecoveryManager;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.model.RecoveryPlanSpec;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code lifeboat failback PLAN --from dr}: brings the changes made while the DR environment was
 * active back to the primary. It backs up the DR environment from its {@code sources} (through the
 * pipeline: stored, read back and verified), then recovers the plan into the primary's targets from
 * exactly that backup (the primary's diverged data is moved aside, and put back if a step or check
 * fails). Only a verified backup and passing checks switch the active environment back.
 */
@Command(
    name = "failback",
    description =
        "Back up the active environment (--from dr) and recover it into another (--to, default primary), verified before switching back.")
final class FailbackCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(index = "0", paramLabel = "PLAN")
  String name;

  @Option(names = "--from", required = true, description = "The active environment (e.g. dr)")
  String from;

  @Option(
      names = "--to",
      defaultValue = "primary",
      description = "The environment to switch back to (default: ${DEFAULT-VALUE})")
  String to;

  @Option(
      names = "--timeout",
      defaultValue = "PT6H",
      description = "Give up waiting after this long (default: ${DEFAULT-VALUE})")
  Duration timeout;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    JsonNode shown =
        ApiGet.get(settings, "/api/plans/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCodes.ERROR,
                        "no recovery plan named " + name + " (lifeboat plan list)"));
    RecoveryPlanSpec plan = RecoveryPlanSpec.parse(shown.get("plan").toString());
    RecoveryPlanSpec.Environment source = plan.environmentsOrEmpty().get(from);
    if (source == null || !plan.environmentsOrEmpty().containsKey(to)) {
      throw new CliException(
          ExitCodes.USAGE,
          "plan "
              + name
              + " must name both environments "
              + from
              + " and "
              + to
              + " (it has: "
              + String.join(", ", plan.environmentsOrEmpty().keySet())
              + ")");
    }
    Map<String, String> sources = source.sources() == null ? Map.of() : source.sources();
    for (RecoveryPlanSpec.ComponentTarget c : plan.components()) {
      if (!sources.containsKey(c.name())) {
        throw new CliException(
            ExitCodes.USAGE,
            "environment "
                + from
                + " of plan "
                + name
                + " gives no source for component "
                + c.name()
                + ": a failback backs every component up from there (sources: in the plan)");
      }
    }
    // 1. back the active environment up, verified
    BackupRequest.Builder b = BackupRequest.named(name + "-failback-" + from);
    plan.components()
        .forEach(
            c -> b.component(c.name(), java.util.Objects.requireNonNull(sources.get(c.name()))));
    b.label("lifeboat.failback", name + ":" + from + "->" + to);
    BackupRequest request = b.build();
    out.println(
        "failback of "
            + name
            + ": backing up "
            + from
            + " (backup "
            + request.backupId()
            + ") ...");
    try (BackupManager backups = settings.backups(null)) {
      BackupOutcome outcome = backups.requestAndWait(request, timeout, d -> {});
      if (!outcome.succeeded()) {
        throw new CliException(
            ExitCodes.FAILED,
            "failback stopped before touching "
                + to
                + ": the backup of "
                + from
                + " did not succeed: "
                + outcome.summary());
      }
    }
    // 2. recover the plan into the other environment from exactly that backup
    out.println(
        "failback of " + name + ": recovering " + to + " from " + request.backupId() + " ...");
    RecoveryExecution x;
    try (RecoveryManager m = settings.recoveries()) {
      x =
          m.run(
              name,
              to,
              RecoveryMode.EXECUTE,
              null,
              request.backupId(),
              false,
              timeout,
              new RecoveryPrinter(out, false));
    } catch (LifeboatClientException e) {
      throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
    }
    if (x == null) {
      throw new CliException(
          ExitCodes.TIMED_OUT, "no answer from the recovery coordinator within " + timeout);
    }
    RecoveryPrinter.summary(x, out);
    FailoverCommand.report(x, to, out);
    return RecoveryPrinter.exitCode(x);
  }
}
