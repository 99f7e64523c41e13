package io.lifeboat.stage.dump;

import io.lifeboat.events.ChunkRaw;
import io.lifeboat.events.ComponentDumped;
import io.lifeboat.events.Topics;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.kafka.core.KafkaTemplate;

/** Sends a dump's output to Kafka: chunks keyed by chunk id, progress keyed by backup id. */
final class KafkaDumpSink implements DumpStage.Sink {

  private final KafkaTemplate<Object, Object> template;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  KafkaDumpSink(KafkaTemplate<Object, Object> template) {
    this.template = template;
  }

  @Override
  public void chunk(ChunkRaw chunk) throws IOException {
    check();
    template
        .send(Topics.CHUNKS_RAW.name(), chunk.getChunkId(), chunk)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
  }

  @Override
  public void componentDone(ComponentDumped event) {
    template.send(Topics.BACKUP_COMPONENTS.name(), event.getBackupId(), event);
  }

  @Override
  public void flush() throws IOException {
    template.flush();
    check();
  }

  private void check() throws IOException {
    Throwable e = failure.get();
    if (e != null) {
      throw new IOException("sending chunks to Kafka failed: " + e.getMessage(), e);
    }
  }
}
