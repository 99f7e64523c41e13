package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.events.AnyEventSerde;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.EventCodec;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.CatalogQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;

/**
 * Hidden: loads the classes the client commands use, without touching the network, so the launcher
 * can record them in a class-data-sharing archive once after a build.
 */
@Command(name = "train-class-cache", hidden = true)
final class TrainCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    BackupRequest request =
        BackupRequest.named("train").component("files:/tmp").label("a", "b").build();
    try (BackupManager manager =
        new BackupManager("127.0.0.1:1", Map.of("max.block.ms", 1), null)) {
      // constructing the producer is enough: it does not connect until it sends
    }
    try (KafkaConsumer<String, org.apache.avro.specific.SpecificRecord> c =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
            new StringDeserializer(),
            new AnyEventSerde())) {
      c.close(Duration.ZERO);
    }
    BackupRequested event =
        BackupRequested.newBuilder()
            .setEnvelope(io.lifeboat.events.Envelopes.next(request.backupId()))
            .setBackupId(request.backupId())
            .setName("train")
            .setComponents(List.of(new io.lifeboat.events.ComponentSpec("files", "files:/tmp")))
            .build();
    AnyEventSerde.decode(EventCodec.of(BackupRequested.class).encode(event));
    Json.line(
        new BackupView(
            "x",
            "x",
            "FULL",
            "SUCCESS",
            null,
            Map.of(),
            java.time.Instant.now(),
            null,
            0,
            0,
            0,
            0,
            0,
            0,
            1.0,
            null,
            List.of(),
            List.of(),
            List.of(),
            null));
    new CatalogClient("http://127.0.0.1:1");
    CatalogQuery.all();
    Format.bytes(1);
    return 0;
  }
}
