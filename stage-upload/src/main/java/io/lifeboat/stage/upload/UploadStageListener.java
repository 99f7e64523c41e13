package io.lifeboat.stage.upload;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.events.Alert;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.ChunkStored;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Severity;
import io.lifeboat.events.Topics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/**
 * Glue: a sealed chunk in, a stored-chunk event out. A permanent storage failure raises an alert
 * before the record goes to the dead-letter topic (transient ones are retried by the container).
 */
public final class UploadStageListener implements MessageListener<String, ChunkSealed> {

  private final UploadStage stage;
  private final KafkaTemplate<Object, Object> template;

  /**
   * Backups already alerted on: one alert per backup, not one per chunk (a full disk fails
   * hundreds).
   */
  private final java.util.Set<String> alerted =
      java.util.Collections.newSetFromMap(
          java.util.Collections.synchronizedMap(
              new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                  return size() > 1000;
                }
              }));

  public UploadStageListener(UploadStage stage, KafkaTemplate<Object, Object> template) {
    this.stage = stage;
    this.template = template;
  }

  @Override
  public void onMessage(ConsumerRecord<String, ChunkSealed> record) {
    ChunkSealed sealed = record.value();
    ChunkStored stored;
    try {
      stored = stage.store(sealed);
    } catch (StorageException e) {
      if (e.isPermanent() && alerted.add(sealed.getBackupId())) {
        template.send(
            Topics.ALERTS.name(),
            sealed.getBackupId(),
            Alert.newBuilder()
                .setEnvelope(Envelopes.next(sealed.getBackupId()))
                .setSeverity(Severity.CRITICAL)
                .setKind("storage.write-failed")
                .setSubject(sealed.getBackupId())
                .setMessage(
                    (e.isFull() ? "the storage is full: " : "")
                        + "cannot store chunk "
                        + sealed.getChunkId()
                        + ": "
                        + e.getMessage()
                        + "; the chunks that could not be stored are on "
                        + Topics.CHUNKS_SEALED.deadLetterName()
                        + " (lifeboat dead-letters replay, once the cause is fixed)")
                .setLabels(
                    Map.of(
                        "component",
                        sealed.getComponent(),
                        "reason",
                        e.isFull() ? "full" : "refused"))
                .build());
      }
      throw e;
    }
    template.send(Topics.CHUNKS_STORED.name(), stored.getChunkId(), stored);
  }
}
