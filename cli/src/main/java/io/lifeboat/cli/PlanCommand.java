package io.lifeboat.cli;

import io.lifeboat.client.RecoveryManager;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.model.RecoveryPlanSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code lifeboat plan create|list|show|validate|test}: recovery plans (deleting one is an API
 * call: DELETE /api/plans/{name}).
 */
@Command(
    name = "plan",
    description =
        "Recovery plans: create one from YAML, list, show (steps and estimate), validate, test (a dry run into scratch targets that measures the RTO).",
    subcommands = {
      PlanCommand.Create.class,
      PlanCommand.ListPlans.class,
      PlanCommand.Show.class,
      PlanCommand.Validate.class,
      PlanCommand.Test.class,
      PlanCommand.Deprecate.class
    })
final class PlanCommand implements Callable<Integer> {

  @Override
  public Integer call() throws CliException {
    throw new CliException(
        ExitCodes.USAGE,
        "name a subcommand: create, list, show, validate, test (see lifeboat plan --help)");
  }

  static @Nullable Instant at(@Nullable String at) throws CliException {
    if (at == null) {
      return null;
    }
    try {
      return RecoveryPlanSpec.parseInstant(at);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Command(name = "create", description = "Create or replace a plan from a YAML (or JSON) file.")
  static final class Create implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "FILE", description = "The plan, YAML or JSON")
    Path file;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      RecoveryPlanSpec plan;
      try {
        plan = RecoveryPlanSpec.parse(Files.readString(file));
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.REJECTED, file + ": " + e.getMessage());
      }
      List<String> problems = plan.problems();
      if (!problems.isEmpty()) {
        throw new CliException(
            ExitCodes.REJECTED,
            "plan "
                + plan.name()
                + " has "
                + problems.size()
                + " problem(s):\n  - "
                + String.join("\n  - ", problems));
      }
      try (RecoveryManager m = settings.recoveries()) {
        m.define(plan);
      }
      // the coordinator reads plans from their topic: wait until it has this one
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        Optional<JsonNode> seen;
        try {
          seen = ApiGet.get(settings, "/api/plans/" + encode(plan.name()));
        } catch (CliException e) {
          out.println(
              "plan "
                  + plan.name()
                  + " published (the API at "
                  + settings.api()
                  + " cannot confirm it: "
                  + e.getMessage()
                  + ")");
          return ExitCodes.OK;
        }
        if (seen.isPresent()
            && seen.get().get("plan").equals(Json.MAPPER.readTree(plan.toJson()))) {
          out.println(
              "plan "
                  + plan.name()
                  + " saved: "
                  + plan.components().size()
                  + " component(s), "
                  + plan.checks().size()
                  + " check(s)");
          return ExitCodes.OK;
        }
        sleep(200);
      }
      out.println("plan " + plan.name() + " published; the coordinator has not shown it yet");
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List plans.")
  static final class ListPlans implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Option(names = "--json", description = "The API's JSON")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      JsonNode plans = ApiGet.get(settings, "/api/plans").orElseThrow();
      if (json) {
        out.println(plans);
        return ExitCodes.OK;
      }
      out.println(
          String.format(
              Locale.ROOT,
              "%-24s %-11s %-16s %-8s %-14s %s",
              "PLAN",
              "STATUS",
              "ENVIRONMENT",
              "RTO",
              "LAST TEST RTO",
              "COMPONENTS"));
      for (JsonNode p : plans) {
        JsonNode tested = p.get("testedAt");
        out.println(
            String.format(
                Locale.ROOT,
                "%-24s %-11s %-16s %-8s %-14s %s",
                p.get("name").asString(),
                text(p, "status"),
                text(p, "environment"),
                text(p, "rto"),
                tested == null || tested.isNull()
                    ? "never tested"
                    : Format.duration(p.get("lastTestRtoMs").asLong()),
                String.join(
                    ", ", p.get("components").valueStream().map(JsonNode::asString).toList())));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      description =
          "Show a plan: the backups it would use now, its steps in order, the estimated duration.")
  static final class Show implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "PLAN")
    String name;

    @Option(
        names = "--at",
        description =
            "Point in time (2026-11-20T03:00Z): per component, the newest verified backup at or before it")
    String at;

    @Option(names = "--backup", description = "Every component from this backup")
    String backup;

    @Option(names = "--json", description = "The API's JSON")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      at(at);
      String query =
          (at != null ? "?at=" + encode(at) : "")
              + (backup != null ? (at != null ? "&" : "?") + "backup=" + encode(backup) : "");
      JsonNode p =
          ApiGet.get(settings, "/api/plans/" + encode(name) + query)
              .orElseThrow(
                  () -> new CliException(ExitCodes.ERROR, "no recovery plan named " + name));
      if (json) {
        out.println(p);
        return ExitCodes.OK;
      }
      out.println(
          "plan        "
              + p.get("name").asString()
              + (text(p, "environment").isEmpty() ? "" : " (" + text(p, "environment") + ")"));
      if (!text(p, "at").isEmpty()) {
        out.println("at          " + text(p, "at"));
      }
      if (!text(p, "backupId").isEmpty()) {
        out.println("backup      " + text(p, "backupId"));
      }
      out.println(
          "estimated   "
              + Format.duration(p.get("estimatedMs").asLong())
              + (p.get("objectiveRtoMs").asLong() > 0
                  ? " (RTO objective " + Format.duration(p.get("objectiveRtoMs").asLong()) + ")"
                  : "")
              + "; throughput "
              + p.get("estimateBasis"));
      if (!text(p, "dataAsOf").isEmpty()) {
        out.println(
            "data as of  "
                + text(p, "dataAsOf")
                + " (a recovery now loses "
                + Format.duration(p.get("rpoMs").asLong())
                + (p.get("objectiveRpoMs").asLong() > 0
                    ? "; RPO objective " + Format.duration(p.get("objectiveRpoMs").asLong())
                    : "")
                + ")");
      }
      out.println("steps");
      for (JsonNode s : p.get("steps")) {
        out.println(
            String.format(
                Locale.ROOT,
                "  %-28s %9s  %s",
                s.get("stepId").asString(),
                Format.duration(s.get("estimateMs").asLong()),
                s.get("description").asString()));
      }
      if (!p.get("problems").isEmpty()) {
        out.println(
            "problems (as far as the catalog can tell; `lifeboat plan validate` checks for real)");
        p.get("problems").forEach(x -> out.println("  - " + x.asString()));
      }
      return ExitCodes.OK;
    }
  }

  /** Shared by validate and test: run the plan in a mode and follow it. */
  abstract static class Run implements Callable<Integer> {
    @Mixin CliSettings settings;

    // optional for picocli, so that `recover` can also take subcommands; checked in call()
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN", description = "The plan to run")
    String name;

    @Option(
        names = "--at",
        description =
            "Point in time (2026-11-20T03:00Z): per component, the newest verified backup at or before it")
    String at;

    @Option(names = "--backup", description = "Every component from this backup")
    String backup;

    @Option(names = "--json", description = "Print the final state as one JSON object")
    boolean json;

    @Option(names = "--force", description = "Run the plan even if it is deprecated")
    boolean force;

    @Option(names = "--follow", description = "Also print progress while data flows")
    boolean follow;

    @Option(
        names = "--environment",
        description =
            "Run into this environment of the plan (its environments: targets), e.g. dr to rehearse a failover")
    String environment;

    @Option(
        names = "--timeout",
        defaultValue = "PT6H",
        description = "Give up waiting after this long (default: ${DEFAULT-VALUE})")
    Duration timeout;

    PrintStream out = System.out;

    /** The execution's last state, once call() has run it. */
    @org.jspecify.annotations.Nullable RecoveryExecution lastExecution;

    abstract RecoveryMode mode();

    abstract String commandName();

    @Override
    public Integer call() throws CliException {
      if (name == null) {
        throw new CliException(
            ExitCodes.USAGE, "name the plan: lifeboat " + commandName() + " PLAN");
      }
      if (at != null && backup != null) {
        throw new CliException(ExitCodes.USAGE, "give either --at or --backup, not both");
      }
      Instant when = at(at);
      RecoveryExecution x;
      try (RecoveryManager m = settings.recoveries()) {
        x =
            m.run(
                name,
                environment,
                mode(),
                when,
                backup,
                force,
                timeout,
                json ? new RecoveryManager.Listener() {} : new RecoveryPrinter(out, follow));
      } catch (LifeboatClientException e) {
        throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
      }
      lastExecution = x;
      if (x == null) {
        throw new CliException(
            ExitCodes.TIMED_OUT,
            "no answer from the recovery coordinator within "
                + timeout
                + " (is `lifeboat up` running?)");
      }
      if (json) {
        out.println(Json.line(RecoveryPrinter.json(x)));
      } else {
        RecoveryPrinter.summary(x, out);
      }
      return RecoveryPrinter.exitCode(x);
    }
  }

  @Command(
      name = "validate",
      description =
          "Check that the plan could run now: backups exist and are verified, targets are reachable and writable, tools are present, there is room. Lists every problem.")
  static final class Validate extends Run {
    @Override
    RecoveryMode mode() {
      return RecoveryMode.VALIDATE;
    }

    @Override
    String commandName() {
      return "plan validate";
    }
  }

  @Command(
      name = "test",
      description =
          "Dry run: restore into scratch targets, run the checks, tear everything down, and record the measured RTO.")
  static final class Test extends Run {
    @Override
    RecoveryMode mode() {
      return RecoveryMode.TEST;
    }

    @Override
    String commandName() {
      return "plan test";
    }
  }

  @Command(
      name = "deprecate",
      description =
          "Retire a plan: it refuses to run without --force. With --undo, bring it back into use.")
  static final class Deprecate implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "PLAN")
    String name;

    @Option(names = "--undo", description = "Bring the plan back into use")
    boolean undo;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      JsonNode shown =
          ApiGet.get(settings, "/api/plans/" + encode(name))
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.ERROR,
                          "no recovery plan named " + name + " (lifeboat plan list)"));
      RecoveryPlanSpec plan =
          RecoveryPlanSpec.parse(shown.get("plan").toString()).withDeprecated(!undo);
      try (RecoveryManager m = settings.recoveries()) {
        m.define(plan);
      } catch (LifeboatClientException e) {
        throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
      }
      out.println(
          "plan "
              + name
              + (undo ? " is back in use" : " is deprecated: it runs only with --force"));
      return ExitCodes.OK;
    }
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
