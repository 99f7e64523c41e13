package io.lifeboat.recovery.executor;

import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryProgress;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.Topics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/**
 * Glue: a step command in, progress events while it runs, its result out. A command seen before
 * (redelivered after a rebalance) is not run again: its result is sent again.
 */
public final class RecoveryCommandListener implements MessageListener<String, RecoveryStepCommand> {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryCommandListener.class);

  private final RecoveryStepExecutor executor;
  private final KafkaTemplate<Object, Object> template;
  private final Map<String, RecoveryStepResult> done =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RecoveryStepResult> eldest) {
              return size() > 1000;
            }
          });

  private final java.time.Duration maxCommandAge;

  /**
   * @param maxCommandAge commands older than this are not run (the coordinator has given up on
   *     them; an executor that starts without committed offsets must not replay old restores)
   */
  public RecoveryCommandListener(
      RecoveryStepExecutor executor,
      KafkaTemplate<Object, Object> template,
      java.time.Duration maxCommandAge) {
    this.executor = executor;
    this.template = template;
    this.maxCommandAge = maxCommandAge;
  }

  @Override
  public void onMessage(ConsumerRecord<String, RecoveryStepCommand> record) {
    RecoveryStepCommand command = record.value();
    java.time.Instant sent = command.getEnvelope().getTime();
    if (sent.plus(maxCommandAge).isBefore(java.time.Instant.now())) {
      LOG.warn(
          "recovery {}: {} {} sent at {} is older than {}: not run",
          command.getExecutionId(),
          command.getAction(),
          command.getStep().getStepId(),
          sent,
          maxCommandAge);
      return;
    }
    RecoveryStepResult result = done.get(command.getCommandId());
    if (result == null) {
      LOG.info(
          "recovery {}: {} {}",
          command.getExecutionId(),
          command.getAction(),
          command.getStep().getStepId());
      Progress progress = new Progress();
      result = executor.execute(command, progress::report);
      done.put(command.getCommandId(), result);
      LOG.info(
          "recovery {}: {} {} {} in {} ms{}",
          command.getExecutionId(),
          command.getAction(),
          command.getStep().getStepId(),
          result.getSucceeded() ? "succeeded" : "FAILED",
          result.getDurationMs(),
          result.getSucceeded() ? "" : ": " + result.getMessage());
    }
    try {
      // wait for the broker: a lost result would leave the coordinator waiting for the step timeout
      template
          .send(Topics.RECOVERY_RESULTS.name(), command.getExecutionId(), result)
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while sending the result of " + command.getCommandId(), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // redelivered: the cached result is sent again, the step is not run twice
      throw new IllegalStateException(
          "cannot send the result of " + command.getCommandId() + ": " + e.getMessage(), e);
    }
  }

  /** Publishes progress about once a second, with the time left in the step at the rate so far. */
  private final class Progress {
    private final long start = System.nanoTime();
    private long lastSent;

    void report(RecoveryStepCommand command, long bytesDone, long bytesTotal) {
      long now = System.nanoTime();
      if (now - lastSent < 1_000_000_000L && bytesDone < bytesTotal) {
        return;
      }
      lastSent = now;
      double elapsedMs = (now - start) / 1e6;
      long remaining =
          bytesDone <= 0 || bytesTotal <= 0
              ? -1
              : (long) (elapsedMs * (bytesTotal - bytesDone) / bytesDone);
      template.send(
          Topics.RECOVERY_PROGRESS.name(),
          command.getExecutionId(),
          RecoveryProgress.newBuilder()
              .setEnvelope(Envelopes.next(command.getExecutionId()))
              .setExecutionId(command.getExecutionId())
              .setStepId(command.getStep().getStepId())
              .setBytesDone(bytesDone)
              .setBytesTotal(bytesTotal)
              .setPercent(bytesTotal <= 0 ? 0 : Math.min(100.0, 100.0 * bytesDone / bytesTotal))
              .setStepRemainingMs(Math.max(-1, remaining))
              .build());
    }
  }
}
