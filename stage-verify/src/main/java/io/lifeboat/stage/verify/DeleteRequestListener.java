package io.lifeboat.stage.verify;

import io.lifeboat.events.BackupDeleteRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/** Glue: a delete request in, the deletion (or an alert saying why not) out. */
public final class DeleteRequestListener implements MessageListener<String, BackupDeleteRequested> {

  private static final Logger LOG = LoggerFactory.getLogger(DeleteRequestListener.class);

  private final BackupDeleter deleter;
  private final KafkaTemplate<Object, Object> template;
  private final KafkaRequestGuard guard;

  public DeleteRequestListener(
      BackupDeleter deleter, KafkaTemplate<Object, Object> template, KafkaRequestGuard guard) {
    this.deleter = deleter;
    this.template = template;
    this.guard = guard;
  }

  @Override
  public void onMessage(ConsumerRecord<String, BackupDeleteRequested> record) {
    if (!guard.allowsOrAlerts(
        record, Operation.DELETE, Role.ADMIN, record.value().getBackupId(), template)) {
      return;
    }
    BackupDeleter.Outcome outcome = deleter.delete(record.value());
    if (outcome.deleted() != null) {
      template.send(
          Topics.BACKUP_DELETIONS.name(), outcome.deleted().getBackupId(), outcome.deleted());
      LOG.info(
          "backup {} deleted: {}", outcome.deleted().getBackupId(), outcome.deleted().getReason());
    } else if (outcome.refused() != null) {
      template.send(Topics.ALERTS.name(), outcome.refused().getSubject(), outcome.refused());
      LOG.warn("{}", outcome.refused().getMessage());
    }
    template.flush();
  }
}
