package io.lifeboat.stage.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.retention.RetentionPolicy;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.ScheduleAction;
import io.lifeboat.events.ScheduleDefined;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleRetentionTest {

  static ScheduleDefined schedule(String name, String backupName, Map<String, String> retention) {
    return ScheduleDefined.newBuilder()
        .setEnvelope(Envelopes.next(name))
        .setName(name)
        .setCron("0 3 * * *")
        .setAction(ScheduleAction.BACKUP)
        .setBackupName(backupName)
        .setRetention(retention)
        .setDefinedBy("admin")
        .setDefinedAt(Instant.now())
        .build();
  }

  static BackupCompleted done(String name, Map<String, String> labels) {
    return BackupCompleted.newBuilder()
        .setEnvelope(Envelopes.next("b-1"))
        .setBackupId("b-1")
        .setName(name)
        .setStatus(BackupStatus.SUCCESS)
        .setLabels(labels)
        .setRequestedAt(Instant.EPOCH)
        .setStartedAt(Instant.EPOCH)
        .setCompletedAt(Instant.EPOCH)
        .setDurationMs(0)
        .setSizeBytes(0)
        .setStoredBytes(0)
        .setNewChunks(0)
        .setDedupedChunks(0)
        .setNewBytes(0)
        .setCompressionRatio(1.0)
        .build();
  }

  @Test
  void theScheduleDecides_notTheLabelsARequestCarries() {
    ScheduleRetention r = new ScheduleRetention();
    r.accept(schedule("nightly", "app", Map.of("keep-daily", "7")));

    RetentionPolicy p =
        r.policyFor(
                done(
                    "app",
                    Map.of("lifeboat.schedule", "nightly", "lifeboat.retention", "keep-last=1")))
            .orElseThrow();
    assertThat(p).isEqualTo(RetentionPolicy.fromOptions(Map.of("keep-daily", "7")));
  }

  @Test
  void aRetentionLabelWithoutItsSchedule_orOnAnotherName_appliesNothing() {
    ScheduleRetention r = new ScheduleRetention();
    r.accept(schedule("nightly", "app", Map.of("keep-daily", "7")));

    assertThat(r.policyFor(done("app", Map.of("lifeboat.retention", "keep-last=1")))).isEmpty();
    assertThat(r.policyFor(done("prod-db", Map.of("lifeboat.schedule", "nightly")))).isEmpty();
    assertThat(r.policyFor(done("app", Map.of("lifeboat.schedule", "unknown")))).isEmpty();
  }

  @Test
  void aScheduleWithoutRetentionKeepsTheDefault_andAnEmptyOneKeepsAll() {
    ScheduleRetention r = new ScheduleRetention();
    r.accept(schedule("nightly", "app", null));
    r.accept(schedule("forever", "logs", Map.of()));
    assertThat(r.policyFor(done("app", Map.of("lifeboat.schedule", "nightly"))))
        .contains(RetentionPolicy.DEFAULT);
    assertThat(r.policyFor(done("logs", Map.of("lifeboat.schedule", "forever")))).isEmpty();
  }
}
