package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input gets a clear answer and loses nothing: API parameters, the error page, the token
 * scheme, huge values, unreadable records on a Streams service's topic, and command-line options.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class BadInputIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static LocalPipeline pipeline;
  static Path home;
  static AllInOne lifeboat;

  @BeforeAll
  static void start() throws Exception {
    pipeline = LocalPipeline.start("bad", null, 0, Map.of());
    home = pipeline.home();
    lifeboat = pipeline.lifeboat();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  static Cli.Result lifeboat(String... args) {
    return pipeline.cli(args);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(lifeboat.apiUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void catalogParameters_areValidated_withAnswersThatSayWhat() throws Exception {
    HttpResponse<String> status = get("/api/backups?status=bogus");
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body()).contains("status must be one of").contains("SUCCESS");

    HttpResponse<String> limit = get("/api/backups?limit=abc");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body())
        .contains("parameter limit must be a whole number, got 'abc'")
        .doesNotContain("java.")
        .doesNotContain("Exception");

    HttpResponse<String> error = get("/error");
    assertThat(error.statusCode()).isEqualTo(404);

    Eventually.until(
        "the catalog to answer a valid query (200; 503 while it loads)",
        () -> get("/api/backups?status=success").statusCode() == 200);
  }

  @Test
  void bearerScheme_isCaseInsensitive_andHugeValuesAreNotEchoed() throws Exception {
    String token = Files.readString(home.resolve("api-token")).strip();
    String hugeName = "p".repeat(500_000);
    String plan = "{\"name\": \"" + hugeName + "\", \"backup\": \"x\", \"components\": []}";

    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(lifeboat.apiUrl() + "/api/plans"))
                .header("Authorization", "bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(plan))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode())
        .as("admitted (lowercase scheme), then refused: %s", r.body().length())
        .isEqualTo(400);
    assertThat(r.body()).contains("500000 characters");
    assertThat(r.body().length()).isLessThan(5_000);
  }

  @Test
  void unreadableRecordOnAStreamsServicesTopic_isDeadLettered_notSkipped() throws Exception {
    // the completions topic is read by the catalog, a Kafka Streams service (the coordinator
    // uses the same handler); a fresh coordinator on this shared test broker would first replay
    // every earlier test's recovery requests, so the catalog is the one watched here
    String marker = "not-avro-" + RUN;
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  Topics.BACKUP_COMPLETIONS.name(),
                  marker.getBytes(StandardCharsets.UTF_8),
                  marker.getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    Eventually.until(
        "the unreadable completion on " + Topics.BACKUP_COMPLETIONS.deadLetterName(),
        () -> {
          Cli.Result list = lifeboat("dead-letters", "list", Topics.BACKUP_COMPLETIONS.name());
          return list.exit() == 0 && list.out().contains(marker);
        });
    // a client following the topic from its start steps over the junk
    try (io.lifeboat.client.BackupManager m =
        new io.lifeboat.client.BackupManager(TestBroker.bootstrapServers())) {
      assertThat(m.await("no-such-" + RUN, java.time.Duration.ofSeconds(3)).completed()).isNull();
    }
  }

  @Test
  void commandLineOptions_areValidated_asUsageErrors() throws Exception {
    Cli.Result type = lifeboat("backup", "files:/tmp", "--type", "bogus");
    assertThat(type.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(type.err()).contains("full, incremental or differential");

    Cli.Result parallel = lifeboat("verify", "latest", "--parallel", "0");
    assertThat(parallel.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(parallel.err()).contains("--parallel must be at least 1");

    Path rawKey = Files.createTempFile("raw", ".key");
    Files.write(rawKey, new byte[] {(byte) 0x80, (byte) 0xff, 0x00, (byte) 0xfe});
    Cli.Result key =
        Cli.run(
            "verify",
            "latest",
            "--repo",
            home.resolve("repository").toString(),
            "--key-file",
            rawKey.toString());
    assertThat(key.exit()).isNotZero();
    assertThat(key.err()).contains("binary data").doesNotContain("Input length");

    Cli.Result list = Cli.run("list", "--api", "http://127.0.0.1:1");
    assertThat(list.exit()).isNotZero();
    assertThat(list.err()).contains("connection refused").doesNotContain(": null");
  }
}
