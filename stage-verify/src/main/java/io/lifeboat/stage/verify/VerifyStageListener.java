package io.lifeboat.stage.verify;

import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupDumped;
import io.lifeboat.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/** Glue: a dumped backup in, a completion (and any alerts) out. */
public final class VerifyStageListener implements MessageListener<String, BackupDumped> {

  private static final Logger LOG = LoggerFactory.getLogger(VerifyStageListener.class);

  private final VerifyStage stage;
  private final ScheduleRetention retention;
  private final KafkaTemplate<Object, Object> template;
  private final MeterRegistry meters;

  public VerifyStageListener(VerifyStage stage, KafkaTemplate<Object, Object> template) {
    this(stage, template, new SimpleMeterRegistry(), new ScheduleRetention());
  }

  /**
   * @param meters counts verifications ({@code lifeboat_verifications_total{status}}, {@code
   *     lifeboat_verify_duration_seconds}) and backups removed by retention ({@code
   *     lifeboat_retention_deleted_total{name}})
   */
  public VerifyStageListener(
      VerifyStage stage,
      KafkaTemplate<Object, Object> template,
      MeterRegistry meters,
      ScheduleRetention retention) {
    this.stage = stage;
    this.retention = retention;
    this.template = template;
    this.meters = meters;
  }

  @Override
  public void onMessage(ConsumerRecord<String, BackupDumped> record) {
    long start = System.nanoTime();
    VerifyStage.Result result = stage.verifyAndCommit(record.value());
    String status = result.completed().getStatus().name();
    Counter.builder("lifeboat.verifications")
        .description("Backups verified after upload (every chunk read back), by outcome")
        .tag("status", status)
        .register(meters)
        .increment();
    Timer.builder("lifeboat.verify.duration")
        .description("Verifying and committing a backup after its upload")
        .tag("status", status)
        .register(meters)
        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    for (Alert alert : result.alerts()) {
      template.send(Topics.ALERTS.name(), alert.getSubject(), alert);
    }
    var done = result.completed();
    template.send(Topics.BACKUP_COMPLETIONS.name(), done.getBackupId(), done);
    try {
      for (var removed : stage.applyRetention(done, retention.policyFor(done))) {
        String why = "retention: " + String.join("; ", removed.reasons());
        template.send(
            Topics.BACKUP_DELETIONS.name(),
            removed.backup().id(),
            io.lifeboat.events.BackupDeleted.newBuilder()
                .setEnvelope(io.lifeboat.events.Envelopes.next(removed.backup().id()))
                .setBackupId(removed.backup().id())
                .setName(removed.backup().name())
                .setReason(why)
                .build());
        LOG.info("backup {} removed by retention: {}", removed.backup().id(), why);
        Counter.builder("lifeboat.retention.deleted")
            .description("Backups removed by retention, by name")
            .tag("name", removed.backup().name())
            .register(meters)
            .increment();
      }
    } catch (RuntimeException e) {
      // the backup itself is done and committed; retention runs again after the next one
      LOG.warn(
          "retention after backup {} did not finish: {}",
          done.getBackupId(),
          String.valueOf(e.getMessage()));
    }
    template.flush();
    LOG.info(
        "backup {} {}: {} bytes, {} new chunks, {} deduplicated",
        done.getBackupId(),
        done.getStatus(),
        done.getSizeBytes(),
        done.getNewChunks(),
        done.getDedupedChunks());
  }
}
