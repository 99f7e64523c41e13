package io.lifeboat.stage.seal;

import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes raw (plaintext) chunk records the seal stage has committed, every few seconds, so
 * plaintext does not sit on the brokers for the topic's whole retention.
 */
public final class RawChunkJanitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RawChunkJanitor.class);

  private final KafkaClients clients;
  private final String groupId;
  private final ScheduledExecutorService timer;
  private @Nullable Admin admin;

  public RawChunkJanitor(KafkaClients clients, String groupId, long periodSeconds) {
    this.clients = clients;
    this.groupId = groupId;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lifeboat-raw-chunk-janitor");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::deleteSealed, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  /** Deletes what the seal group has committed; returns the partitions it trimmed. */
  public synchronized Map<TopicPartition, Long> deleteSealed() {
    Map<TopicPartition, Long> trimmed = new HashMap<>();
    try {
      if (admin == null) {
        admin = Admin.create(clients.common());
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      committed.forEach(
          (tp, om) -> {
            if (om != null && tp.topic().equals(Topics.CHUNKS_RAW.name()) && om.offset() > 0) {
              delete.put(tp, RecordsToDelete.beforeOffset(om.offset()));
              trimmed.put(tp, om.offset());
            }
          });
      if (!delete.isEmpty()) {
        admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("could not delete sealed raw chunks yet: {}", e.toString());
    }
    return trimmed;
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    if (admin != null) {
      admin.close();
    }
  }
}
