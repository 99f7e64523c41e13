package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.client.BackupSchedule;
import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.scheduler.ScheduleSlots;
import io.lifeboat.scheduler.Scheduler;
import io.lifeboat.scheduler.Schedules;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat schedule create|list|show|pause|resume|delete|run}: backup schedules, kept on
 * their compacted topic and fired by the scheduler service (inside {@code up}).
 */
@Command(
    name = "schedule",
    description =
        "Backup schedules: create (cron, time zone, retention, RPO), list, show, pause, resume, delete, run (now, once).",
    subcommands = {
      ScheduleCommand.Create.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Show.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Resume.class,
      ScheduleCommand.Delete.class,
      ScheduleCommand.Run.class
    })
final class ScheduleCommand implements Callable<Integer> {

  @Override
  public Integer call() throws CliException {
    throw new CliException(
        ExitCodes.USAGE,
        "name a subcommand: create, list, show, pause, resume, delete, run (see lifeboat schedule --help)");
  }

  static BackupManager manager(CliSettings settings) {
    return settings.backups(key(settings));
  }

  /** The master key if this machine has it: only a schedule with a password needs it. */
  static io.lifeboat.core.crypto.@Nullable MasterKey key(CliSettings settings) {
    try {
      return CliRepository.key(settings);
    } catch (CliException | RuntimeException e) {
      return null;
    }
  }

  static ScheduleDefined find(BackupManager m, String name) throws CliException {
    ScheduleDefined s = m.schedules().get(name);
    if (s == null) {
      throw new CliException(ExitCodes.REJECTED, "no schedule named " + name);
    }
    return s;
  }

  static @Nullable Instant nextSlot(ScheduleDefined s) {
    try {
      return ScheduleSlots.of(s.getCron(), s.getZone()).next(Instant.now()).orElse(null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static Map<String, Object> view(ScheduleDefined s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", s.getName());
    v.put("cron", s.getCron());
    v.put("zone", s.getZone());
    v.put("paused", s.getPaused());
    v.put("action", s.getAction().toString());
    Instant next = nextSlot(s);
    v.put("nextSlot", s.getPaused() || next == null ? null : next.toString());
    v.put("backupName", s.getBackupName());
    v.put("type", s.getType().toString());
    v.put("sources", s.getComponents().stream().map(ComponentSpec::getSource).toList());
    v.put("labels", s.getLabels());
    v.put("retention", s.getRetention() == null ? "default" : s.getRetention());
    v.put("rpo", s.getRpo());
    v.put("plan", s.getPlan());
    v.put("definedBy", s.getDefinedBy());
    v.put("definedAt", s.getDefinedAt().toString());
    return v;
  }

  @Command(
      name = "create",
      description = "Create or replace a backup schedule; its first slot is the next one.")
  static final class Create implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name")
    String schedule;

    @Parameters(
        index = "1..*",
        arity = "0..*",
        paramLabel = "SOURCE",
        description = "Components, e.g. files:/etc/myapp (a bare path means files:)")
    List<String> sources = new java.util.ArrayList<>();

    @Option(
        names = "--plan-test",
        paramLabel = "PLAN",
        description =
            "Instead of a backup: test this recovery plan at each slot (restore into scratch"
                + " targets, run its checks, measure the RTO, tear down)")
    String planTest;

    @Option(
        names = "--cron",
        required = true,
        description = "minute hour day-of-month month day-of-week, e.g. \"30 2 * * *\"")
    String cron;

    @Option(names = "--tz", defaultValue = "UTC", description = "Time zone (default: UTC)")
    String zone;

    @Option(names = "--rpo", description = "Alert when the newest good backup is older (PT26H)")
    Duration rpo;

    @Option(names = "--name", description = "Backup name (default: the schedule's name)")
    String name;

    @Option(
        names = "--type",
        defaultValue = "full",
        description = "full, incremental, differential")
    String type;

    @Option(names = "--label", description = "Label key=value (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--compression-level", defaultValue = "1", description = "zstd level, 0 = none")
    int compressionLevel;

    @Option(names = "--keep-last", description = "Retention: keep the newest N")
    Integer keepLast;

    @Option(names = "--keep-hourly", description = "Retention: one per hour for N hours")
    Integer keepHourly;

    @Option(names = "--keep-daily", description = "Retention: one per day for N days")
    Integer keepDaily;

    @Option(names = "--keep-weekly", description = "Retention: one per week for N weeks")
    Integer keepWeekly;

    @Option(names = "--keep-monthly", description = "Retention: one per month for N months")
    Integer keepMonthly;

    @Option(names = "--keep-yearly", description = "Retention: one per year for N years")
    Integer keepYearly;

    @Option(names = "--keep-within", description = "Retention: every backup younger (P30D)")
    Duration keepWithin;

    @Option(names = "--keep-all", description = "No retention: keep every backup")
    boolean keepAll;

    @Option(names = "--paused", description = "Create it paused")
    boolean paused;

    PrintStream out = System.out;

    @Nullable Map<String, String> retention() {
      Map<String, String> r = new LinkedHashMap<>();
      put(r, "keep-last", keepLast);
      put(r, "keep-hourly", keepHourly);
      put(r, "keep-daily", keepDaily);
      put(r, "keep-weekly", keepWeekly);
      put(r, "keep-monthly", keepMonthly);
      put(r, "keep-yearly", keepYearly);
      if (keepWithin != null) {
        r.put("keep-within", keepWithin.toString());
      }
      if (keepAll) {
        return Map.of();
      }
      return r.isEmpty() ? null : r;
    }

    private static void put(Map<String, String> r, String key, @Nullable Integer n) {
      if (n != null) {
        r.put(key, Integer.toString(n));
      }
    }

    @Override
    public Integer call() throws CliException {
      if (!ScheduledBackups.isValidName(schedule)) {
        throw new CliException(
            ExitCodes.USAGE, "invalid schedule name '" + schedule + "': " + nameRule());
      }
      if (!List.of("full", "incremental", "differential")
          .contains(type.toLowerCase(java.util.Locale.ROOT))) {
        throw new CliException(
            ExitCodes.USAGE,
            "--type must be full, incremental or differential, got '" + type + "'");
      }
      if (planTest != null && !sources.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE, "--plan-test schedules a plan test: name no SOURCE with it");
      }
      if (planTest == null && sources.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE, "name at least one SOURCE to back up (or --plan-test PLAN)");
      }
      BackupRequest.Builder b =
          BackupRequest.named(name != null ? name : schedule)
              .type(type)
              .compressionLevel(compressionLevel);
      sources.forEach(s -> b.component(BackupCommand.normalize(s)));
      labels.forEach(b::label);
      BackupSchedule spec =
          new BackupSchedule(schedule, cron, zone, b.build(), retention(), rpo, paused);
      try (BackupManager m = manager(settings)) {
        ScheduleDefined event = spec.toEvent(key(settings));
        if (planTest != null) {
          event =
              ScheduleDefined.newBuilder(event)
                  .setAction(io.lifeboat.events.ScheduleAction.PLAN_TEST)
                  .setPlan(planTest)
                  .setBackupName("")
                  .setComponents(List.of())
                  .build();
        }
        String problem = Schedules.problem(event);
        if (problem != null) {
          throw new CliException(ExitCodes.REJECTED, "schedule " + schedule + ": " + problem);
        }
        m.defineSchedule(event);
        Instant next = nextSlot(event);
        out.println(
            "schedule "
                + schedule
                + " saved: "
                + (paused ? "paused" : "next slot " + next + " (" + cron + ", " + zone + ")"));
        return ExitCodes.OK;
      } catch (LifeboatClientException e) {
        throw new CliException(ExitCodes.REJECTED, String.valueOf(e.getMessage()));
      }
    }

    static String nameRule() {
      return "lower-case letters, digits, '.', '_' and '-', at most 64";
    }
  }

  @Command(name = "list", description = "List schedules and their next slots.")
  static final class ListSchedules implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Option(names = "--json", description = "One JSON object per schedule")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() {
      try (BackupManager m = manager(settings)) {
        for (ScheduleDefined s : m.schedules().values()) {
          if (json) {
            out.println(Json.line(view(s)));
          } else {
            Instant next = nextSlot(s);
            out.printf(
                "%-24s %-16s %-14s %-9s %s%n",
                s.getName(),
                s.getCron(),
                s.getZone(),
                s.getPaused() ? "paused" : "active",
                s.getPaused() || next == null ? "-" : "next " + next);
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one schedule (JSON).")
  static final class Show implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "NAME")
    String schedule;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      try (BackupManager m = manager(settings)) {
        out.println(Json.line(view(find(m, schedule))));
      }
      return ExitCodes.OK;
    }
  }

  abstract static class Change implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "NAME")
    String schedule;

    PrintStream out = System.out;

    abstract boolean paused();

    @Override
    public Integer call() throws CliException {
      try (BackupManager m = manager(settings)) {
        ScheduleDefined s = find(m, schedule);
        m.defineSchedule(
            ScheduleDefined.newBuilder(s)
                .setEnvelope(io.lifeboat.events.Envelopes.next(schedule))
                .setPaused(paused())
                .build());
      }
      out.println("schedule " + schedule + (paused() ? " paused" : " resumed"));
      return ExitCodes.OK;
    }
  }

  @Command(name = "pause", description = "Stop firing a schedule (its RPO is still watched).")
  static final class Pause extends Change {
    @Override
    boolean paused() {
      return true;
    }
  }

  @Command(name = "resume", description = "Fire a paused schedule again, from its next slot.")
  static final class Resume extends Change {
    @Override
    boolean paused() {
      return false;
    }
  }

  @Command(name = "delete", description = "Delete a schedule (its backups stay).")
  static final class Delete implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "NAME")
    String schedule;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      try (BackupManager m = manager(settings)) {
        find(m, schedule);
        m.deleteSchedule(schedule);
      }
      out.println("schedule " + schedule + " deleted");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "run",
      description = "Back up now, once, as the schedule would (its labels, retention and RPO).")
  static final class Run implements Callable<Integer> {
    @Mixin CliSettings settings;

    @Parameters(index = "0", paramLabel = "NAME")
    String schedule;

    @Option(names = "--wait", description = "Wait for the backup; exit 0 only on success")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "PT6H", description = "How long --wait waits")
    Duration timeout;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      try (BackupManager m = manager(settings)) {
        ScheduleDefined s = find(m, schedule);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = m.request(Scheduler.backupRequest(s, ScheduledBackups.id(now, schedule), now));
        out.println(id);
        if (!wait) {
          return ExitCodes.OK;
        }
        var outcome = m.await(id, timeout);
        BackupCompleted c = outcome.completed();
        if (c == null) {
          return outcome.rejected() != null ? ExitCodes.REJECTED : ExitCodes.TIMED_OUT;
        }
        return c.getStatus() == BackupStatus.SUCCESS ? ExitCodes.OK : ExitCodes.FAILED;
      }
    }
  }
}
