package io.lifeboat.stage.verify;

import io.lifeboat.events.BackupVerified;
import io.lifeboat.events.BackupVerifyRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/**
 * Glue: a verify request in, its answer (and an alert when the backup is damaged, or its deletion
 * when it is gone from the storage with its deletion recorded) out.
 */
public final class ReverifyListener implements MessageListener<String, BackupVerifyRequested> {

  private static final Logger LOG = LoggerFactory.getLogger(ReverifyListener.class);

  private final Reverifier reverifier;
  private final KafkaTemplate<Object, Object> template;
  private final KafkaRequestGuard guard;

  public ReverifyListener(
      Reverifier reverifier, KafkaTemplate<Object, Object> template, KafkaRequestGuard guard) {
    this.reverifier = reverifier;
    this.template = template;
    this.guard = guard;
  }

  @Override
  public void onMessage(ConsumerRecord<String, BackupVerifyRequested> record) {
    if (!guard.allowsOrAlerts(
        record, Operation.VERIFY, Role.OPERATOR, record.value().getBackupId(), template)) {
      return;
    }
    Reverifier.Outcome outcome = reverifier.verify(record.value());
    BackupVerified v = outcome.verified();
    if (outcome.alert() != null) {
      template.send(Topics.ALERTS.name(), outcome.alert().getSubject(), outcome.alert());
    }
    if (outcome.deleted() != null) {
      // gone from the storage, with its deletion recorded: the catalog shows it DELETED
      template.send(
          Topics.BACKUP_DELETIONS.name(), outcome.deleted().getBackupId(), outcome.deleted());
      LOG.info(
          "backup {} is deleted from the storage: {}",
          outcome.deleted().getBackupId(),
          outcome.deleted().getReason());
    }
    template.send(Topics.BACKUP_VERIFICATIONS.name(), v.getBackupId(), v);
    template.flush();
    LOG.info(
        "backup {} verified on request {}: {}, {} chunks, {} bytes in {} ms",
        v.getBackupId(),
        v.getVerificationId(),
        v.getOk() ? "OK" : "FAILED " + v.getProblems().size() + " problem(s)",
        v.getChunksChecked(),
        v.getBytesChecked(),
        v.getDurationMs());
  }
}
