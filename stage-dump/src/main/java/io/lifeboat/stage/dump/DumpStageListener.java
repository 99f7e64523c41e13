package io.lifeboat.stage.dump;

import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.DeadLetters;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
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
  private final KafkaRequestGuard guard;

  public DumpStageListener(
      DumpStage stage, KafkaTemplate<Object, Object> template, KafkaRequestGuard guard) {
    this.stage = stage;
    this.template = template;
    this.guard = guard;
  }

  @Override
  public void onMessage(ConsumerRecord<String, BackupRequested> record) {
    BackupRequested request = record.value();
    KafkaRequestGuard.Decision may =
        guard.check(
            record.topic(),
            record.key(),
            record.headers(),
            Operation.BACKUP,
            Role.OPERATOR,
            "",
            request.getBackupId());
    String refusal = may.allowed() ? reservedLabels(request, may) : may.reason();
    if (!refusal.isEmpty()) {
      template.send(
          Topics.BACKUP_REJECTIONS.name(),
          request.getBackupId(),
          DumpStage.refused(request, refusal).event());
      template.flush();
      return;
    }
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
   * Roles mode: labels under {@code lifeboat.} steer what Lifeboat does to a backup's history (the
   * schedule whose retention applies), so only the scheduler or an admin (`lifeboat schedule run`)
   * may set them; anyone may pin.
   */
  private String reservedLabels(BackupRequested request, KafkaRequestGuard.Decision may) {
    var claim = may.claim();
    if (!guard.enforced()
        || (claim != null
            && (io.lifeboat.stage.common.auth.IdentityKeys.SCHEDULER.equals(claim.signer())
                || claim.role() == Role.ADMIN))) {
      return "";
    }
    return request.getLabels().keySet().stream()
        .filter(k -> k.startsWith("lifeboat.") && !k.equals("lifeboat.pin"))
        .findFirst()
        .map(
            k ->
                "refused: the label "
                    + k
                    + " is Lifeboat's own (only the scheduler or an admin sets it; lifeboat.pin may be given)")
        .orElse("");
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
