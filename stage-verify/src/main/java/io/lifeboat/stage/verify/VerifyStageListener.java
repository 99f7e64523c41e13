package io.lifeboat.stage.verify;

import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupDumped;
import io.lifeboat.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/** Glue: a dumped backup in, a completion (and any alerts) out. */
public final class VerifyStageListener implements MessageListener<String, BackupDumped> {

  private static final Logger LOG = LoggerFactory.getLogger(VerifyStageListener.class);

  private final VerifyStage stage;
  private final KafkaTemplate<Object, Object> template;

  public VerifyStageListener(VerifyStage stage, KafkaTemplate<Object, Object> template) {
    this.stage = stage;
    this.template = template;
  }

  @Override
  public void onMessage(ConsumerRecord<String, BackupDumped> record) {
    VerifyStage.Result result = stage.verifyAndCommit(record.value());
    for (Alert alert : result.alerts()) {
      template.send(Topics.ALERTS.name(), alert.getSubject(), alert);
    }
    var done = result.completed();
    template.send(Topics.BACKUP_COMPLETIONS.name(), done.getBackupId(), done);
    try {
      for (var removed : stage.applyRetention(done)) {
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
