package io.lifeboat.scheduler;

import io.lifeboat.core.retention.RetentionPolicy;
import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.ScheduleAction;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's decisions, without Kafka: given a schedule, what the scheduler remembers of it
 * and the time, what to publish and what to remember next. The Streams processor only loads, stores
 * and forwards.
 *
 * @param lateAfter a slot fired later than this after its time is reported missed (the scheduler
 *     was not running at the time)
 * @param maxRun a fired backup not ended after this long no longer holds back the next slots
 */
public record Scheduler(Duration lateAfter, Duration maxRun) {

  /** Who the scheduler's requests say asked for them. */
  public static final String REQUESTED_BY = "lifeboat-scheduler";

  /** What to remember and what to publish (each record keyed as its topic wants). */
  public record Step(RunState state, List<Keyed> out) {}

  /** An event and its record key. */
  public record Keyed(String key, SpecificRecord event) {}

  /** The state of a schedule seen for the first time, or defined again. */
  public RunState defined(
      @Nullable ScheduleDefined previous,
      ScheduleDefined schedule,
      @Nullable RunState state,
      Instant now) {
    if (state == null) {
      // slots from the definition on are due: one missed while no scheduler ran fires once
      Instant definedAt = schedule.getDefinedAt();
      return RunState.first(definedAt.isAfter(now) ? now : definedAt);
    }
    if (previous != null && previous.getPaused() && !schedule.getPaused()) {
      return state.withLastSlot(later(state.lastSlot(), now)); // slots while paused are not owed
    }
    return state;
  }

  /** A look at the clock: fire the due slot (or skip it), raise the RPO alert. */
  public Step tick(ScheduleDefined s, RunState state, Instant now) {
    List<Keyed> out = new ArrayList<>();
    RunState next = state;
    if (next.running() != null
        && next.runningSince() != null
        && next.runningSince().plus(maxRun).isBefore(now)) {
      out.add(
          alert(
              s,
              Severity.WARNING,
              "schedule.run-lost",
              "backup "
                  + next.running()
                  + " of schedule "
                  + s.getName()
                  + " has not ended after "
                  + maxRun
                  + "; the next slots fire again",
              Map.of()));
      next = next.ended();
    }
    if (!s.getPaused() && s.getAction() != ScheduleAction.WATCH) {
      Optional<ScheduleSlots.Due> due = slots(s).due(next.lastSlot(), now);
      if (due.isPresent()) {
        next = fireOrSkip(s, next, due.get(), now, out);
      }
    }
    if (s.getRpo() != null && !next.rpoBreached()) {
      Duration rpo = Duration.parse(s.getRpo());
      Instant newest = next.lastSuccess() != null ? next.lastSuccess() : next.since();
      if (newest.plus(rpo).isBefore(now)) {
        Duration age = Duration.between(newest, now);
        out.add(
            alert(
                s,
                Severity.CRITICAL,
                "backup.rpo-breached",
                (next.lastSuccess() != null
                        ? "the newest successful backup of schedule "
                            + s.getName()
                            + " is "
                            + brief(age)
                            + " old"
                        : "schedule "
                            + s.getName()
                            + " has had no successful backup in "
                            + brief(age))
                    + ", past its recovery point objective of "
                    + brief(rpo),
                Map.of("state", "firing")));
        next = next.breached();
      }
    }
    return new Step(next, out);
  }

  private RunState fireOrSkip(
      ScheduleDefined s, RunState state, ScheduleSlots.Due due, Instant now, List<Keyed> out) {
    String id = ScheduledBackups.id(due.slot(), s.getName());
    if (state.running() != null) {
      out.add(
          alert(
              s,
              Severity.WARNING,
              "schedule.slot-skipped",
              "slot "
                  + due.slot()
                  + " of schedule "
                  + s.getName()
                  + " skipped: its previous backup "
                  + state.running()
                  + " is still running",
              Map.of("slot", due.slot().toString())));
      return state.withLastSlot(due.slot());
    }
    Duration late = Duration.between(due.slot(), now);
    if (due.skipped() > 0 || late.compareTo(lateAfter) > 0) {
      out.add(
          alert(
              s,
              Severity.WARNING,
              "schedule.missed",
              (due.skipped() + 1)
                  + " slot(s) of schedule "
                  + s.getName()
                  + " passed while no scheduler ran (the newest at "
                  + due.slot()
                  + ", "
                  + brief(late)
                  + " ago); fired once now",
              Map.of("slot", due.slot().toString(), "missed", Long.toString(due.skipped() + 1))));
    }
    if (s.getAction() == ScheduleAction.PLAN_TEST) {
      out.add(new Keyed(id, planTest(s, id)));
      return state.withLastSlot(due.slot()); // the coordinator runs it; nothing to wait for
    }
    out.add(new Keyed(id, backupRequest(s, id, due.slot())));
    return state.fired(due.slot(), id, now);
  }

  /** The request of one slot (or of {@code schedule run}). */
  public static BackupRequested backupRequest(ScheduleDefined s, String id, Instant slot) {
    Map<String, String> labels = new HashMap<>(s.getLabels());
    labels.put(ScheduledBackups.SCHEDULE_LABEL, s.getName());
    labels.put(ScheduledBackups.SLOT_LABEL, slot.toString());
    if (s.getRetention() == null || !s.getRetention().isEmpty()) { // empty: keep everything
      RetentionPolicy retention =
          s.getRetention() == null
              ? RetentionPolicy.DEFAULT
              : RetentionPolicy.fromOptions(s.getRetention());
      labels.put(
          ScheduledBackups.RETENTION_LABEL,
          retention.toOptions().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(";")));
    }
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName(s.getBackupName())
        .setType(s.getType())
        .setComponents(s.getComponents())
        .setLabels(labels)
        .setCompressionLevel(s.getCompressionLevel())
        .setRequestedBy(REQUESTED_BY)
        .setSealedCredentials(s.getSealedCredentials())
        .build();
  }

  private static RecoveryRequested planTest(ScheduleDefined s, String id) {
    return RecoveryRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setExecutionId(id)
        .setPlanName(String.valueOf(s.getPlan()))
        .setMode(RecoveryMode.TEST)
        .setRequestedBy(REQUESTED_BY)
        .build();
  }

  /** A backup of this schedule ended: the next slot may fire; a success clears the RPO alert. */
  public Step completed(ScheduleDefined s, RunState state, BackupCompleted c) {
    RunState next = c.getBackupId().equals(state.running()) ? state.ended() : state;
    List<Keyed> out = new ArrayList<>();
    if (c.getStatus() == BackupStatus.SUCCESS) {
      if (next.rpoBreached()) {
        out.add(
            alert(
                s,
                Severity.INFO,
                "backup.rpo-breached",
                "schedule "
                    + s.getName()
                    + " meets its recovery point objective again: backup "
                    + c.getBackupId()
                    + " succeeded",
                Map.of("state", "resolved")));
      }
      next = next.succeeded(c.getCompletedAt());
    }
    return new Step(next, out);
  }

  /** A backup of this schedule was refused: the next slot may fire; an operator must know. */
  public Step rejected(ScheduleDefined s, RunState state, BackupRejected r) {
    if (!r.getBackupId().equals(state.running())) {
      return new Step(state, List.of());
    }
    return new Step(
        state.ended(),
        List.of(
            alert(
                s,
                Severity.CRITICAL,
                "schedule.rejected",
                "backup "
                    + r.getBackupId()
                    + " of schedule "
                    + s.getName()
                    + " was rejected: "
                    + String.join("; ", r.getReasons()),
                Map.of())));
  }

  static ScheduleSlots slots(ScheduleDefined s) {
    return ScheduleSlots.of(s.getCron(), s.getZone());
  }

  private static Keyed alert(
      ScheduleDefined s, Severity severity, String kind, String message, Map<String, String> more) {
    Map<String, String> labels = new HashMap<>(more);
    labels.put(ScheduledBackups.SCHEDULE_LABEL, s.getName());
    if (!s.getBackupName().isEmpty()) {
      labels.put("name", s.getBackupName());
    }
    return new Keyed(
        s.getName(),
        Alert.newBuilder()
            .setEnvelope(Envelopes.next(s.getName()))
            .setSeverity(severity)
            .setKind(kind)
            .setSubject(s.getName())
            .setMessage(message)
            .setLabels(labels)
            .build());
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  static String brief(Duration d) {
    long s = d.getSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 2 * 3600) {
      return (s / 60) + " min";
    }
    if (s < 2 * 86400) {
      return (s / 3600) + " h";
    }
    return (s / 86400) + " days";
  }
}
