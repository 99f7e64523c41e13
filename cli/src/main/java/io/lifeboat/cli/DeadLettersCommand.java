package io.lifeboat.cli;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.events.DeadLetterHeaders;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.KafkaCredentials;
import io.lifeboat.stage.common.Principals;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat dead-letters list|replay TOPIC}: what went to a topic's dead-letter topic and
 * why, and, once the cause is fixed (space freed, a bucket made), sending those records back to the
 * topic they came from. Replay resumes where the last one stopped (a consumer group), so a record
 * is sent back once.
 */
@Command(
    name = "dead-letters",
    description =
        "List a topic's dead letters with their reasons, or replay them once the cause is fixed.")
final class DeadLettersCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(index = "0", description = "list or replay")
  String action = "list";

  @Parameters(
      index = "1",
      description = "the topic whose dead letters to use, e.g. lifeboat.chunks.sealed")
  String topic = "";

  @Option(
      names = "--admin-properties",
      description =
          "Client settings allowed to write the topic (default: the embedded default's administrator)")
  @Nullable Path adminProperties;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    TopicSpec<?> spec =
        Topics.all().stream()
            .filter(t -> t.name().equals(topic))
            .findFirst()
            .orElseThrow(() -> new CliException(ExitCodes.USAGE, "not a Lifeboat topic: " + topic));
    if (!action.equals("list") && !action.equals("replay")) {
      throw new CliException(ExitCodes.USAGE, "dead-letters: list or replay, got " + action);
    }
    Map<String, Object> props = new HashMap<>(credentials());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    boolean replay = action.equals("replay");
    if (replay) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "lifeboat-dead-letter-replay");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }
    props.put(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES + 1024 * 1024);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      consumer
          .partitionsFor(spec.deadLetterName(), Duration.ofSeconds(15))
          .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      if (replay) {
        consumer.subscribe(List.of(spec.deadLetterName()));
      } else {
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long idle = 0;
      while (idle < 3
          && parts.stream().anyMatch(tp -> position(consumer, tp) < end.getOrDefault(tp, 0L))) {
        var records = consumer.poll(Duration.ofSeconds(1));
        idle = records.isEmpty() ? idle + 1 : 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          n++;
          if (replay) {
            ProducerRecord<byte[], byte[]> back =
                new ProducerRecord<>(spec.name(), r.key(), r.value());
            for (Header h : r.headers()) {
              if (!h.key().startsWith("lifeboat.dlt.")) {
                back.headers().add(h);
              }
            }
            producer.send(back).get(60, TimeUnit.SECONDS);
          } else {
            out.println(
                r.offset()
                    + "  key "
                    + printable(r.key())
                    + "  "
                    + header(r, DeadLetterHeaders.ERROR));
          }
        }
        if (replay) {
          consumer.commitSync();
        }
      }
    }
    out.println(
        replay
            ? "replayed " + n + " record(s) to " + spec.name()
            : n + " dead letter(s) on " + spec.deadLetterName());
    return ExitCodes.OK;
  }

  /** A record key for a listing: text when it is text, else its size. */
  static String printable(byte @org.jspecify.annotations.Nullable [] key) {
    if (key == null) {
      return "(none)";
    }
    String text = new String(key, java.nio.charset.StandardCharsets.UTF_8);
    boolean plain = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    if (!plain) {
      return "(" + key.length + " bytes)";
    }
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }

  private static long position(KafkaConsumer<?, ?> consumer, TopicPartition tp) {
    return consumer.assignment().contains(tp) ? consumer.position(tp) : -1;
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private Map<String, String> credentials() throws CliException {
    if (adminProperties != null) {
      Path file = adminProperties.toAbsolutePath();
      return KafkaCredentials.read(
          java.util.Objects.requireNonNull(file.getParent()),
          file.getFileName().toString().replaceFirst("\\.properties$", ""));
    }
    Path dir = AllInOne.credentialsDir(settings.home());
    if (Files.isRegularFile(KafkaCredentials.file(dir, Principals.ADMIN))) {
      return KafkaCredentials.read(dir, Principals.ADMIN);
    }
    Map<String, String> fromEnv = new HashMap<>();
    settings.kafkaProperties().forEach((k, v) -> fromEnv.put(k, String.valueOf(v)));
    return fromEnv;
  }
}
