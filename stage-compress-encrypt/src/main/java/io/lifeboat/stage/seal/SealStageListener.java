package io.lifeboat.stage.seal;

import io.lifeboat.events.ChunkRaw;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.InvalidEventException;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.DeadLetters;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * Glue: a batch of raw chunks in, sealed chunks out, inside the container's Kafka transaction (the
 * consumed offsets commit with the output: exactly once). Unreadable or invalid records go to the
 * dead-letter topic in the same transaction.
 */
public final class SealStageListener implements BatchMessageListener<String, ChunkRaw> {

  private static final Logger LOG = LoggerFactory.getLogger(SealStageListener.class);

  private final SealStage stage;
  private final KafkaTemplate<Object, Object> template;
  private final String groupId;

  public SealStageListener(
      SealStage stage, KafkaTemplate<Object, Object> template, String groupId) {
    this.stage = stage;
    this.template = template;
    this.groupId = groupId;
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, ChunkRaw>> records) {
    for (ConsumerRecord<String, ChunkRaw> record : records) {
      DeserializationException unreadable = DeadLetters.valueFailure(record);
      if (unreadable != null || record.value() == null) {
        Exception why =
            unreadable != null ? unreadable : new InvalidEventException("empty record", null);
        LOG.warn(
            "dead-lettering unreadable record {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            why.getMessage());
        template.send(
            DeadLetters.record(
                record, unreadable == null ? null : unreadable.getData(), why, groupId));
        continue;
      }
      try {
        ChunkSealed sealed = stage.seal(record.value());
        template.send(Topics.CHUNKS_SEALED.name(), sealed.getChunkId(), sealed);
      } catch (InvalidEventException e) {
        LOG.warn("dead-lettering chunk {}: {}", record.key(), e.getMessage());
        template.send(DeadLetters.record(record, record.value(), e, groupId));
      }
    }
  }
}
