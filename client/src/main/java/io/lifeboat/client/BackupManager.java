package io.lifeboat.client;

import io.lifeboat.core.crypto.CredentialSeal;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.provider.SpecCredentials;
import io.lifeboat.events.AnyEventSerde;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.BackupType;
import io.lifeboat.events.ComponentDumped;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.model.LifeboatClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Requests backups by publishing {@code BackupRequested} events and follows them on the completion,
 * rejection and component topics. No Spring, no broker of its own: a Kafka client.
 */
public final class BackupManager implements AutoCloseable {

  private final Map<String, Object> common;
  private final KafkaProducer<String, BackupRequested> producer;
  private final @Nullable MasterKey credentialKey;

  public BackupManager(String bootstrapServers) {
    this(bootstrapServers, Map.of(), null);
  }

  /**
   * @param clientProperties extra Kafka client settings (security)
   * @param credentialKey the master key, to seal passwords found in component URIs; without it a
   *     URI with a password is refused (nothing with a password is ever published in clear)
   */
  public BackupManager(
      String bootstrapServers,
      Map<String, Object> clientProperties,
      @Nullable MasterKey credentialKey) {
    this.credentialKey = credentialKey;
    this.common = new HashMap<>(clientProperties);
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Map<String, Object> p = new HashMap<>(common);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    this.producer =
        new KafkaProducer<>(p, new StringSerializer(), EventSerde.of(Topics.BACKUP_REQUESTS));
  }

  private @Nullable RequestSender sender;

  /**
   * Sends requests this way instead of straight onto Kafka (roles mode: {@link ApiRequestSender});
   * following backups still reads Kafka.
   */
  public BackupManager sendingThrough(@Nullable RequestSender sender) {
    this.sender = sender;
    return this;
  }

  /** Publishes the request and returns its backup id once Kafka has it. */
  public String request(BackupRequest request) {
    BackupRequested event = toEvent(request, credentialKey);
    if (sender != null) {
      sender.send(Topics.BACKUP_REQUESTS, event.getBackupId(), event);
      return event.getBackupId();
    }
    try {
      producer
          .send(new ProducerRecord<>(Topics.BACKUP_REQUESTS.name(), event.getBackupId(), event))
          .get(30, TimeUnit.SECONDS);
      return event.getBackupId();
    } catch (ExecutionException | TimeoutException e) {
      throw new LifeboatClientException(
          "cannot publish the backup request to Kafka at "
              + common.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatClientException("interrupted", 0, e);
    }
  }

  /**
   * Asks the pipeline to stop a backup that is still running: its dump stops, nothing is committed,
   * and it completes CANCELLED (follow it with {@link #await}).
   */
  public void cancelBackup(String backupId, String reason) {
    publish(
        Topics.BACKUP_CANCELLATIONS,
        backupId,
        io.lifeboat.events.BackupCancelRequested.newBuilder()
            .setEnvelope(io.lifeboat.events.Envelopes.next(backupId))
            .setBackupId(backupId)
            .setReason(reason)
            .build());
  }

  /**
   * Asks the verify stage to read a stored backup back and authenticate it; its answer is a {@code
   * BackupVerified} on {@code lifeboat.backup.verifications}. A backup deleted from the storage (by
   * {@code lifeboat delete --break-glass} or {@code forget}, which record the deletion) is
   * announced DELETED to the catalog by the verify stage: only it writes deletions (decision 0032).
   *
   * @return the verification id its answer carries
   */
  public String requestVerification(String backupId) {
    String id = "v-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    publish(
        Topics.BACKUP_VERIFY_REQUESTS,
        backupId,
        io.lifeboat.events.BackupVerifyRequested.newBuilder()
            .setEnvelope(io.lifeboat.events.Envelopes.next(backupId))
            .setVerificationId(id)
            .setBackupId(backupId)
            .setRequestedBy(String.valueOf(System.getProperty("user.name", "")))
            .build());
    return id;
  }

  /**
   * Creates or replaces a schedule: the scheduler fires its slots from the next one on. Passwords
   * in its sources are sealed for the schedule (the client needs the master key for that).
   */
  public void scheduleBackup(BackupSchedule schedule) {
    ScheduleDefined event = schedule.toEvent(credentialKey);
    publish(Topics.SCHEDULES, event.getName(), event);
  }

  /** Publishes a schedule event as it is (pause, resume: a changed copy of a listed one). */
  public void defineSchedule(ScheduleDefined schedule) {
    publish(Topics.SCHEDULES, schedule.getName(), schedule);
  }

  /** Deletes a schedule (its backups stay). */
  public void deleteSchedule(String name) {
    publish(Topics.SCHEDULES, name, null);
  }

  /** Publishes a request made elsewhere (a schedule's {@code run}). */
  public String request(BackupRequested event) {
    publish(Topics.BACKUP_REQUESTS, event.getBackupId(), event);
    return event.getBackupId();
  }

  /** Every schedule, by name: the compacted topic read to its end. */
  public java.util.SortedMap<String, ScheduleDefined> schedules() {
    java.util.SortedMap<String, ScheduleDefined> all = new java.util.TreeMap<>();
    Map<String, Object> c = new HashMap<>(common);
    c.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, ScheduleDefined> consumer =
        new KafkaConsumer<>(
            c,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            EventSerde.of(Topics.SCHEDULES))) {
      List<org.apache.kafka.common.TopicPartition> parts =
          consumer.partitionsFor(Topics.SCHEDULES.name(), Duration.ofSeconds(15)).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<org.apache.kafka.common.TopicPartition, Long> end =
          consumer.endOffsets(parts, Duration.ofSeconds(15));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.getOrDefault(p, 0L))) {
        if (System.nanoTime() > deadline) {
          throw new LifeboatClientException(
              "timed out reading " + Topics.SCHEDULES.name(), 0, null);
        }
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            all.remove(r.key());
          } else {
            all.put(r.key(), r.value());
          }
        }
      }
    } catch (org.apache.kafka.common.errors.SerializationException e) {
      throw new LifeboatClientException(
          "an unreadable record on " + Topics.SCHEDULES.name() + ": " + e.getMessage(), 0, e);
    }
    return all;
  }

  private <V extends org.apache.avro.specific.SpecificRecord> void publish(
      io.lifeboat.events.TopicSpec<V> topic, String key, @Nullable V event) {
    if (sender != null) {
      sender.send(topic, key, event);
      return;
    }
    Map<String, Object> p = new HashMap<>(common);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    try (KafkaProducer<String, V> one =
        new KafkaProducer<>(p, new StringSerializer(), EventSerde.of(topic))) {
      one.send(new ProducerRecord<>(topic.name(), key, event)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new LifeboatClientException(
          "cannot publish to "
              + topic.name()
              + " at "
              + common.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatClientException("interrupted", 0, e);
    }
  }

  /**
   * Publishes the request and waits for its completion or rejection, reporting components as they
   * finish. Subscribes before publishing, so nothing is missed.
   */
  public BackupOutcome requestAndWait(
      BackupRequest request, Duration timeout, Consumer<ComponentDumped> progress) {
    try (KafkaConsumer<String, SpecificRecord> consumer = followers()) {
      String id = request(request);
      return follow(consumer, id, timeout, progress);
    }
  }

  /** Waits for a backup requested earlier (reads the result topics from their start). */
  public BackupOutcome await(String backupId, Duration timeout) {
    try (KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new AnyEventSerde())) {
      List<TopicPartition> parts = partitions(consumer);
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      return follow(consumer, backupId, timeout, c -> {});
    }
  }

  private KafkaConsumer<String, SpecificRecord> followers() {
    KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new AnyEventSerde());
    List<TopicPartition> parts = partitions(consumer);
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position);
    return consumer;
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
    List<TopicPartition> parts = new ArrayList<>();
    for (TopicSpec<?> t :
        List.of(Topics.BACKUP_COMPLETIONS, Topics.BACKUP_REJECTIONS, Topics.BACKUP_COMPONENTS)) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(t.name(), Duration.ofSeconds(15));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new LifeboatClientException(
            "cannot reach Kafka at "
                + common.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                + " (is `lifeboat up` running?)",
            0,
            e);
      }
      if (infos == null || infos.isEmpty()) {
        throw new LifeboatClientException(
            "topic " + t.name() + " does not exist: are the Lifeboat stages running?", 0, null);
      }
      infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
    }
    return parts;
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> c = new HashMap<>(common);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
    return c;
  }

  private static BackupOutcome follow(
      KafkaConsumer<String, SpecificRecord> consumer,
      String id,
      Duration timeout,
      Consumer<ComponentDumped> progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, SpecificRecord> r :
          Polls.poll(consumer, Duration.ofMillis(200))) {
        if (!id.equals(r.key())) {
          continue;
        }
        if (r.value() instanceof BackupCompleted c) {
          return new BackupOutcome(id, c, null);
        }
        if (r.value() instanceof BackupRejected j) {
          return new BackupOutcome(id, null, j);
        }
        if (r.value() instanceof ComponentDumped d) {
          progress.accept(d);
        }
      }
    }
    return new BackupOutcome(id, null, null);
  }

  static BackupRequested toEvent(BackupRequest r, @Nullable MasterKey key) {
    return toEvent(r, key, r.backupId());
  }

  /**
   * @param binding what the sealed passwords are bound to: the backup id, or a schedule's binding
   */
  static BackupRequested toEvent(BackupRequest r, @Nullable MasterKey key, String binding) {
    List<ComponentSpec> specs = new ArrayList<>();
    Map<String, java.nio.ByteBuffer> sealed = new HashMap<>();
    r.components()
        .forEach(
            (name, spec) -> {
              SpecCredentials.Split split = SpecCredentials.split(spec);
              if (split.password().isPresent()) {
                if (key == null) {
                  throw new LifeboatClientException(
                      "component "
                          + name
                          + " has a password in its URI, and without the master key the client cannot seal it:"
                          + " give the client the key file (LIFEBOAT_KEY_FILE), or use ?passwordFile= or the dump stage's environment",
                      0,
                      null);
                }
                sealed.put(
                    name,
                    java.nio.ByteBuffer.wrap(
                        CredentialSeal.seal(
                            key, binding, name, split.spec(), split.password().get())));
              }
              specs.add(new ComponentSpec(name, split.spec()));
            });
    BackupType type;
    try {
      type = BackupType.valueOf(r.type().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LifeboatClientException(
          "unknown backup type " + r.type() + " (full, incremental, differential)", 0, e);
    }
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next(r.backupId()))
        .setBackupId(r.backupId())
        .setName(r.name())
        .setType(type)
        .setComponents(specs)
        .setLabels(r.labels())
        .setCompressionLevel(r.compressionLevel())
        .setRequestedBy(System.getProperty("user.name"))
        .setSealedCredentials(sealed)
        .setNotifications(
            r.notifications().stream()
                .map(
                    n ->
                        io.lifeboat.events.NotificationSetting.newBuilder()
                            .setChannel(n.channel())
                            .setEvents(n.events())
                            .setRecipients(n.recipients())
                            .build())
                .toList())
        .build();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
