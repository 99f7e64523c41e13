package io.lifeboat.stage.dump;

import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.DeadLetters;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/** Glue: a backup request in, chunks and a rejection or dump result out. */
public final class DumpStageListener implements MessageListener<String, BackupRequested> {

  private static final Logger LOG = LoggerFactory.getLogger(DumpStageListener.class);

  private final DumpStage stage;
  private final KafkaTemplate<Object, Object> template;

  public DumpStageListener(DumpStage stage, KafkaTemplate<Object, Object> template) {
    this.stage = stage;
    this.template = template;
  }

  @Override
  public void onMessage(ConsumerRecord<String, BackupRequested> record) {
    BackupRequested request = record.value();
    try {
      DumpStage.Outcome outcome = stage.handle(request, new KafkaDumpSink(template));
      if (outcome instanceof DumpStage.Rejected r) {
        LOG.info("backup {} rejected: {}", request.getBackupId(), r.event().getReasons());
        template.send(Topics.BACKUP_REJECTIONS.name(), request.getBackupId(), r.event());
      } else if (outcome instanceof DumpStage.Dumped d) {
        LOG.info(
            "backup {} dumped: {} components",
            request.getBackupId(),
            d.event().getComponents().size());
        template.send(Topics.BACKUP_DUMPS.name(), request.getBackupId(), d.event());
      }
      template.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * After the container gave up on a record (dead-lettered it): a readable request is answered with
   * a rejection that says why and where it went, so no requester waits for nothing.
   */
  public void givenUp(ConsumerRecord<?, ?> record, Exception error) {
    if (record.value() instanceof BackupRequested request) {
      Throwable cause = DeadLetters.rootCause(error);
      String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
      DumpStage.Rejected r = DumpStage.givenUp(request, why);
      LOG.warn("backup {} not started: {}", request.getBackupId(), r.event().getReasons());
      template.send(Topics.BACKUP_REJECTIONS.name(), request.getBackupId(), r.event());
      template.flush();
    }
  }
}
