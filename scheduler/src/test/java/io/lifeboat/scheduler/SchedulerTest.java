package io.lifeboat.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.ScheduleAction;
import io.lifeboat.events.ScheduleDefined;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  static final Scheduler SCHEDULER = new Scheduler(Duration.ofMinutes(1), Duration.ofHours(24));
  static final Instant DEFINED = Instant.parse("2026-12-01T08:00:10Z");

  static ScheduleDefined.Builder schedule() {
    return ScheduleDefined.newBuilder()
        .setEnvelope(Envelopes.next("nightly"))
        .setName("nightly")
        .setCron("* * * * *")
        .setBackupName("db")
        .setComponents(List.of(new ComponentSpec("files", "files:/srv")))
        .setDefinedAt(DEFINED);
  }

  static Instant t(String hhmmss) {
    return Instant.parse("2026-12-01T" + hhmmss + "Z");
  }

  static List<Object> events(Scheduler.Step step) {
    return step.out().stream().map(k -> (Object) k.event()).toList();
  }

  static BackupCompleted completed(String id, BackupStatus status, Instant at) {
    return BackupCompleted.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName("db")
        .setStatus(status)
        .setRequestedAt(at)
        .setStartedAt(at)
        .setCompletedAt(at)
        .setDurationMs(0)
        .setSizeBytes(0)
        .setStoredBytes(0)
        .setNewChunks(0)
        .setDedupedChunks(0)
        .setNewBytes(0)
        .setCompressionRatio(1.0)
        .setLabels(Map.of(ScheduledBackups.SCHEDULE_LABEL, "nightly"))
        .build();
  }

  @Test
  void aDueSlot_firesOneRequest_withAnIdOfItsSlot_andItsLabels() {
    ScheduleDefined s = schedule().build();
    RunState state = SCHEDULER.defined(null, s, null, DEFINED);

    assertThat(events(SCHEDULER.tick(s, state, t("08:00:59")))).isEmpty();
    Scheduler.Step step = SCHEDULER.tick(s, state, t("08:01:00.4"));

    assertThat(step.out()).hasSize(1);
    BackupRequested r = (BackupRequested) step.out().get(0).event();
    assertThat(r.getBackupId()).isEqualTo("20261201T080100Z-nightly");
    assertThat(step.out().get(0).key()).isEqualTo(r.getBackupId());
    assertThat(r.getName()).isEqualTo("db");
    assertThat(r.getLabels())
        .containsEntry(ScheduledBackups.SCHEDULE_LABEL, "nightly")
        .containsEntry(ScheduledBackups.SLOT_LABEL, "2026-12-01T08:01:00Z")
        .containsEntry(
            ScheduledBackups.RETENTION_LABEL, "keep-daily=30;keep-weekly=12;keep-monthly=12");
    assertThat(step.state().running()).isEqualTo(r.getBackupId());
    // the same slot never fires twice
    assertThat(events(SCHEDULER.tick(s, step.state(), t("08:01:01")))).isEmpty();
  }

  @Test
  void aSlotWhosePreviousBackupStillRuns_isSkipped_withAnAlert() {
    ScheduleDefined s = schedule().build();
    RunState fired = SCHEDULER.tick(s, RunState.first(DEFINED), t("08:01:00")).state();

    Scheduler.Step next = SCHEDULER.tick(s, fired, t("08:02:00"));

    assertThat(next.out()).singleElement().extracting(k -> k.event()).isInstanceOf(Alert.class);
    Alert a = (Alert) next.out().get(0).event();
    assertThat(a.getKind()).isEqualTo("schedule.slot-skipped");
    assertThat(a.getMessage()).contains("20261201T080100Z-nightly").contains("still running");
    assertThat(next.state().lastSlot()).isEqualTo(t("08:02:00"));

    // once it ended, the next slot fires again
    RunState ended =
        SCHEDULER
            .completed(
                s, next.state(), completed(fired.running(), BackupStatus.SUCCESS, t("08:02:30")))
            .state();
    assertThat(ended.running()).isNull();
    assertThat(events(SCHEDULER.tick(s, ended, t("08:03:00"))))
        .singleElement()
        .isInstanceOf(BackupRequested.class);
  }

  @Test
  void slotsMissedWhileNothingRan_fireOnce_withAnAlertSayingHowMany() {
    ScheduleDefined s = schedule().build();
    RunState state = RunState.first(DEFINED);

    Scheduler.Step step = SCHEDULER.tick(s, state, t("08:05:20"));

    assertThat(events(step)).hasSize(2);
    Alert a = (Alert) events(step).get(0);
    assertThat(a.getKind()).isEqualTo("schedule.missed");
    assertThat(a.getLabels()).containsEntry("missed", "5");
    assertThat(((BackupRequested) events(step).get(1)).getBackupId())
        .isEqualTo("20261201T080500Z-nightly");
  }

  @Test
  void aSlotFiredLate_isAlertedAsMissed_butOneFiredOnTimeIsNot() {
    ScheduleDefined s = schedule().setCron("*/5 * * * *").build();
    RunState state = RunState.first(DEFINED);
    assertThat(events(SCHEDULER.tick(s, state, t("08:05:50"))))
        .singleElement()
        .isInstanceOf(BackupRequested.class);
    List<Object> late = events(SCHEDULER.tick(s, state, t("08:06:30")));
    assertThat(late).hasSize(2);
    assertThat(((Alert) late.get(0)).getLabels()).containsEntry("missed", "1");
    assertThat(((Alert) late.get(0)).getMessage()).contains("90 s ago");
  }

  @Test
  void aPausedSchedule_firesNothing_andOwesNothingWhenResumed() {
    ScheduleDefined paused = schedule().setPaused(true).build();
    RunState state = SCHEDULER.defined(null, paused, null, DEFINED);
    assertThat(events(SCHEDULER.tick(paused, state, t("08:10:00")))).isEmpty();

    ScheduleDefined resumed = schedule().build();
    RunState after = SCHEDULER.defined(paused, resumed, state, t("08:10:30"));
    assertThat(events(SCHEDULER.tick(resumed, after, t("08:10:45")))).isEmpty();
    assertThat(events(SCHEDULER.tick(resumed, after, t("08:11:00"))))
        .singleElement()
        .isInstanceOf(BackupRequested.class);
  }

  @Test
  void aWatch_firesNothing_butRaisesItsRpoAlert_andASuccessOfItsBackupsClearsIt() {
    ScheduleDefined s =
        schedule()
            .setAction(io.lifeboat.events.ScheduleAction.WATCH)
            .setComponents(List.of())
            .setRpo("PT60S")
            .build();
    assertThat(Schedules.problem(s)).isNull();
    RunState state = SCHEDULER.defined(null, s, null, DEFINED);
    Scheduler.Step quiet = SCHEDULER.tick(s, state, t("08:01:00.4"));
    assertThat(events(quiet)).as("a watch fires no slot").isEmpty();
    Scheduler.Step late = SCHEDULER.tick(s, quiet.state(), t("08:01:11"));
    assertThat(events(late)).singleElement().isInstanceOf(Alert.class);
    Scheduler.Step ok =
        SCHEDULER.completed(
            s,
            late.state(),
            completed("wal.pg.000000010000000000000003.x", BackupStatus.SUCCESS, t("08:01:20")));
    assertThat(events(ok)).singleElement().isInstanceOf(Alert.class);
    assertThat(ok.state().rpoBreached()).isFalse();
    assertThat(Schedules.problem(ScheduleDefined.newBuilder(s).setRpo(null).build()))
        .contains("RPO");
  }

  @Test
  void theRpoAlert_isRaisedOnce_andClearedByASuccess() {
    ScheduleDefined s = schedule().setPaused(true).setRpo("PT5M").build();
    RunState state = SCHEDULER.defined(null, s, null, DEFINED);
    assertThat(events(SCHEDULER.tick(s, state, t("08:05:00")))).isEmpty();

    Scheduler.Step breached = SCHEDULER.tick(s, state, t("08:05:11"));
    Alert raised = (Alert) events(breached).get(0);
    assertThat(raised.getKind()).isEqualTo("backup.rpo-breached");
    assertThat(raised.getLabels()).containsEntry("state", "firing");
    assertThat(raised.getMessage()).contains("no successful backup").contains("5 min");
    assertThat(events(SCHEDULER.tick(s, breached.state(), t("08:06:00")))).isEmpty();

    // a failed backup does not clear it; a successful one does, once
    RunState failed =
        SCHEDULER
            .completed(s, breached.state(), completed("x", BackupStatus.FAILED, t("08:07:00")))
            .state();
    assertThat(failed.rpoBreached()).isTrue();
    Scheduler.Step ok =
        SCHEDULER.completed(s, failed, completed("y", BackupStatus.SUCCESS, t("08:08:00")));
    Alert cleared = (Alert) events(ok).get(0);
    assertThat(cleared.getKind()).isEqualTo("backup.rpo-breached");
    assertThat(cleared.getLabels()).containsEntry("state", "resolved");
    assertThat(events(SCHEDULER.tick(s, ok.state(), t("08:12:00")))).isEmpty();
    assertThat(events(SCHEDULER.tick(s, ok.state(), t("08:13:01"))))
        .singleElement()
        .satisfies(e -> assertThat(((Alert) e).getMessage()).contains("is 5 min old"));
  }

  @Test
  void aRejectedBackup_freesTheSchedule_andAlerts() {
    ScheduleDefined s = schedule().build();
    RunState fired = SCHEDULER.tick(s, RunState.first(DEFINED), t("08:01:00")).state();
    Scheduler.Step step =
        SCHEDULER.rejected(
            s,
            fired,
            BackupRejected.newBuilder()
                .setEnvelope(Envelopes.next("r"))
                .setBackupId(fired.running())
                .setReasons(List.of("source files:/srv does not exist"))
                .build());
    assertThat(step.state().running()).isNull();
    assertThat(((Alert) events(step).get(0)).getMessage()).contains("does not exist");
  }

  @Test
  void aPlanTestSchedule_asksTheCoordinatorForATest() {
    ScheduleDefined s =
        schedule()
            .setAction(ScheduleAction.PLAN_TEST)
            .setPlan("prod-db")
            .setBackupName("")
            .setComponents(List.of())
            .build();
    Scheduler.Step step = SCHEDULER.tick(s, RunState.first(DEFINED), t("08:01:00"));
    RecoveryRequested r = (RecoveryRequested) events(step).get(0);
    assertThat(r.getMode()).isEqualTo(RecoveryMode.TEST);
    assertThat(r.getPlanName()).isEqualTo("prod-db");
    assertThat(r.getExecutionId()).isEqualTo("20261201T080100Z-nightly");
    assertThat(step.state().running()).isNull();
  }

  @Test
  void invalidSchedules_areNamed() {
    assertThat(Schedules.problem(schedule().build())).isNull();
    assertThat(Schedules.problem(schedule().setCron("61 * * * *").build()))
        .contains("invalid cron expression");
    assertThat(Schedules.problem(schedule().setRpo("soon").build())).contains("ISO-8601");
    assertThat(Schedules.problem(schedule().setRetention(Map.of("keep-dayly", "3")).build()))
        .contains("unknown retention option(s) [keep-dayly]");
    assertThat(Schedules.problem(schedule().setName("Nightly DB").build()))
        .contains("invalid schedule name");
  }
}
