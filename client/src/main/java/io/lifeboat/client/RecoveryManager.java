package io.lifeboat.client;

import io.lifeboat.events.AnyEventSerde;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryPlanDefined;
import io.lifeboat.events.RecoveryProgress;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.model.RecoveryPlanSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
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
 * Recovery plans and their executions over Kafka: defines plans, requests recoveries, recovery
 * tests, validations and rollbacks, and follows an execution's updates and progress until it ends.
 * The Java counterpart of {@code lifeboat plan} and {@code lifeboat recover}.
 */
public final class RecoveryManager implements AutoCloseable {

  /** Called as an execution changes and as data flows. */
  public interface Listener {
    default void update(RecoveryExecution execution) {}

    default void progress(RecoveryProgress progress) {}
  }

  private static final Set<RecoveryStatus> FINAL =
      Set.of(
          RecoveryStatus.SUCCEEDED,
          RecoveryStatus.INVALID,
          RecoveryStatus.FAILED,
          RecoveryStatus.ROLLED_BACK);

  private final Map<String, Object> common;
  private final KafkaProducer<String, SpecificRecord> producer;

  public RecoveryManager(String bootstrapServers, Map<String, Object> clientProperties) {
    this.common = new HashMap<>(clientProperties);
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Map<String, Object> p = new HashMap<>(common);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new AnyEventSerde());
  }

  private @Nullable RequestSender sender;

  /**
   * Sends requests this way instead of straight onto Kafka (roles mode: {@link ApiRequestSender});
   * following executions still reads Kafka.
   */
  public RecoveryManager sendingThrough(@Nullable RequestSender sender) {
    this.sender = sender;
    return this;
  }

  public static boolean isFinal(RecoveryStatus status) {
    return FINAL.contains(status);
  }

  /**
   * Publishes a plan (replacing one of the same name). @throws LifeboatClientException listing
   * every problem
   */
  public void define(RecoveryPlanSpec plan) {
    List<String> problems = plan.problems();
    if (!problems.isEmpty()) {
      throw new LifeboatClientException(
          "plan "
              + plan.name()
              + " has "
              + problems.size()
              + " problem(s):\n  "
              + String.join("\n  ", problems),
          0,
          null);
    }
    send(
        Topics.RECOVERY_PLANS.name(),
        plan.name(),
        RecoveryPlanDefined.newBuilder()
            .setEnvelope(Envelopes.next(plan.name()))
            .setName(plan.name())
            .setDefinition(plan.toJson())
            .setDefinedBy(System.getProperty("user.name", ""))
            .build());
  }

  /** Requests an execution and returns its id at once. */
  public String start(
      String planName, RecoveryMode mode, @Nullable Instant at, @Nullable String backupId) {
    return start(planName, mode, at, backupId, false);
  }

  /**
   * Requests an execution and returns its id at once.
   *
   * @param force run the plan even if it is deprecated
   */
  public String start(
      String planName,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force) {
    String id = newExecutionId();
    send(Topics.RECOVERY_REQUESTS.name(), id, request(id, planName, mode, at, backupId, force));
    return id;
  }

  /**
   * Requests an execution and follows it until it ends (or the timeout).
   *
   * @return its last state (final unless the timeout passed first), or null when nothing was heard
   */
  public @Nullable RecoveryExecution run(
      String planName,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      Duration timeout,
      Listener listener) {
    return run(planName, mode, at, backupId, false, timeout, listener);
  }

  /**
   * {@link #run(String, RecoveryMode, Instant, String, Duration, Listener)}, forcing a deprecated
   * plan to run when {@code force} is set.
   */
  public @Nullable RecoveryExecution run(
      String planName,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      Duration timeout,
      Listener listener) {
    return run(planName, null, mode, at, backupId, force, timeout, listener);
  }

  /**
   * Runs the plan into one of its environments ({@code environments:} in the plan), as failover and
   * failback do; {@code environment} null runs it into the plan's own targets.
   */
  public @Nullable RecoveryExecution run(
      String planName,
      @Nullable String environment,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      Duration timeout,
      Listener listener) {
    try (KafkaConsumer<String, SpecificRecord> consumer = consumer(false)) {
      String id = newExecutionId();
      RecoveryRequested r = request(id, planName, mode, at, backupId, force);
      r.setEnvironment(environment);
      send(Topics.RECOVERY_REQUESTS.name(), id, r);
      return follow(consumer, id, timeout, listener, x -> isFinal(x.getStatus()));
    }
  }

  /** Asks to undo a finished recovery and follows until it is undone, or refused. */
  public @Nullable RecoveryExecution rollback(
      String executionId, Duration timeout, Listener listener) {
    try (KafkaConsumer<String, SpecificRecord> history = consumer(true)) {
      if (follow(history, executionId, Duration.ofSeconds(10), new Listener() {}, x -> true)
          == null) {
        throw new LifeboatClientException(
            "no recovery execution " + executionId + " (see `lifeboat recover list`)", 0, null);
      }
    }
    try (KafkaConsumer<String, SpecificRecord> consumer = consumer(false)) {
      send(
          Topics.RECOVERY_REQUESTS.name(),
          executionId,
          request(executionId, "", RecoveryMode.ROLLBACK, null, null, false));
      return follow(
          consumer,
          executionId,
          timeout,
          listener,
          x ->
              (x.getRollbackRequested() && isFinal(x.getStatus()))
                  // a refusal: the coordinator answers with a notice saying why, and changes
                  // nothing
                  || (x.getNotice() != null && !x.getNotice().startsWith("rollback requested")));
    }
  }

  /** Follows an execution requested earlier (reads its history first), until it ends. */
  public @Nullable RecoveryExecution follow(
      String executionId, Duration timeout, Listener listener) {
    try (KafkaConsumer<String, SpecificRecord> consumer = consumer(true)) {
      return follow(consumer, executionId, timeout, listener, x -> isFinal(x.getStatus()));
    }
  }

  private static @Nullable RecoveryExecution follow(
      KafkaConsumer<String, SpecificRecord> consumer,
      String id,
      Duration timeout,
      Listener listener,
      Predicate<RecoveryExecution> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RecoveryExecution last = null;
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, SpecificRecord> r :
          Polls.poll(consumer, Duration.ofMillis(200))) {
        if (!id.equals(r.key())) {
          continue;
        }
        if (r.value() instanceof RecoveryExecution x) {
          last = x;
          listener.update(x);
        } else if (r.value() instanceof RecoveryProgress p) {
          listener.progress(p);
        }
      }
      if (last != null
          && done.test(last)
          && consumer.assignment().stream().allMatch(tp -> caughtUp(consumer, tp))) {
        return last;
      }
    }
    return last;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, TopicPartition tp) {
    Long end = consumer.endOffsets(List.of(tp)).get(tp);
    return end == null || consumer.position(tp) >= end;
  }

  private KafkaConsumer<String, SpecificRecord> consumer(boolean fromStart) {
    Map<String, Object> c = new HashMap<>(common);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
    KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new AnyEventSerde());
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic :
        List.of(Topics.RECOVERY_EXECUTIONS.name(), Topics.RECOVERY_PROGRESS.name())) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        consumer.close();
        throw new LifeboatClientException(
            "cannot reach Kafka at "
                + common.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                + " (is `lifeboat up` running?)",
            0,
            e);
      }
      if (infos == null || infos.isEmpty()) {
        consumer.close();
        throw new LifeboatClientException(
            "topic " + topic + " does not exist: is the recovery coordinator running?", 0, null);
      }
      infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
    }
    consumer.assign(parts);
    if (fromStart) {
      consumer.seekToBeginning(parts);
    } else {
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
    }
    return consumer;
  }

  private static RecoveryRequested request(
      String id,
      String planName,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force) {
    return RecoveryRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setExecutionId(id)
        .setPlanName(planName)
        .setMode(mode)
        .setAt(at)
        .setBackupId(backupId)
        .setForce(force)
        .setRequestedBy(System.getProperty("user.name", ""))
        .build();
  }

  static String newExecutionId() {
    return "r-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void send(String topic, String key, SpecificRecord value) {
    if (sender != null) {
      TopicSpec spec =
          Topics.all().stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow();
      sender.send(spec, key, value);
      return;
    }
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new LifeboatClientException(
          "cannot publish to Kafka at "
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

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
