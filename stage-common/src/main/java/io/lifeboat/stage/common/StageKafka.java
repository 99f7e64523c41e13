package io.lifeboat.stage.common;

import io.lifeboat.events.EventSerde;
import io.lifeboat.events.EventSignatures;
import io.lifeboat.events.InvalidEventException;
import io.lifeboat.events.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Builds the Kafka pieces of a stage the same way every time: templates that send any event,
 * listener containers whose unreadable records go to the dead-letter topic, and transactional batch
 * containers for read-process-write stages.
 */
public final class StageKafka implements DisposableBean {

  private final KafkaClients clients;
  private final List<DefaultKafkaProducerFactory<?, ?>> factories;
  private final @Nullable MeterRegistry meters;

  public StageKafka(KafkaClients clients) {
    this(clients, null);
  }

  /**
   * @param meters where the consumers' own metrics go (records consumed, bytes, lag per partition,
   *     tagged with the consumer group, which names the stage); null: nowhere
   */
  public StageKafka(KafkaClients clients, @Nullable MeterRegistry meters) {
    this(clients, new CopyOnWriteArrayList<>(), meters);
  }

  private StageKafka(
      KafkaClients clients,
      List<DefaultKafkaProducerFactory<?, ?>> factories,
      @Nullable MeterRegistry meters) {
    this.clients = clients;
    this.factories = factories;
    this.meters = meters;
  }

  /**
   * The same, with clients that authenticate as {@code principal} (see {@link KafkaClients#as}).
   * Its producers are closed with this one's.
   */
  public StageKafka as(String principal) {
    return new StageKafka(clients.as(principal), factories, meters);
  }

  public KafkaClients clients() {
    return clients;
  }

  /** A template sending events (values) keyed by strings. */
  public KafkaTemplate<Object, Object> template(String clientId) {
    return new KafkaTemplate<>(producerFactory(clientId, null));
  }

  /**
   * A template whose record batches are compressed on the wire and on the brokers (e.g. lz4), and
   * whose records on the topics in {@code signingKeys} are signed (see EventSignatures).
   */
  public KafkaTemplate<Object, Object> compressingTemplate(
      String clientId, String compression, Map<String, byte[]> signingKeys) {
    DefaultKafkaProducerFactory<Object, Object> f = producerFactory(clientId, null, signingKeys);
    f.updateConfigs(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression));
    return new KafkaTemplate<>(f);
  }

  /** A producer factory; transactional when {@code transactionIdPrefix} is set. */
  public DefaultKafkaProducerFactory<Object, Object> producerFactory(
      String clientId, @Nullable String transactionIdPrefix) {
    return producerFactory(clientId, transactionIdPrefix, Map.of());
  }

  private DefaultKafkaProducerFactory<Object, Object> producerFactory(
      String clientId, @Nullable String transactionIdPrefix, Map<String, byte[]> signingKeys) {
    Map<String, Object> props = clients.producer(clientId);
    if (transactionIdPrefix != null) {
      // how long a transaction of an instance that died stays open, holding up read_committed
      // readers of its partitions; lifeboat.kafka.client.transaction.timeout.ms sets it
      props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
    }
    DefaultKafkaProducerFactory<Object, Object> f =
        new DefaultKafkaProducerFactory<>(
            props, new AnySerializer(), EventSignatures.signing(new AnySerializer(), signingKeys));
    f.setPhysicalCloseTimeout(5); // a stop never waits long on a broker that is gone
    if (transactionIdPrefix != null) {
      f.setTransactionIdPrefix(transactionIdPrefix);
    }
    factories.add(f);
    return f;
  }

  /**
   * A container delivering one record at a time. Unreadable records go straight to the dead-letter
   * topic; other failures are retried twice, a second apart, then dead-lettered.
   *
   * @param maxPollInterval the longest one record may take before Kafka considers the consumer gone
   *     (capped at Integer.MAX_VALUE ms, about 24 days)
   */
  public <V extends SpecificRecord> ConcurrentMessageListenerContainer<String, V> recordContainer(
      TopicSpec<V> topic,
      String groupId,
      int concurrency,
      int maxPollRecords,
      java.time.Duration maxPollInterval,
      MessageListener<String, V> listener) {
    return recordContainer(
        topic, groupId, concurrency, maxPollRecords, maxPollInterval, listener, null);
  }

  /**
   * {@link #recordContainer(TopicSpec, String, int, int, java.time.Duration, MessageListener)} for
   * a topic whose records must be signed: a record whose signature is missing or wrong is
   * dead-lettered and alerted on, and never reaches the listener.
   *
   * @param signatureKey the key the sender signs with, or null for an unsigned topic
   */
  public <V extends SpecificRecord> ConcurrentMessageListenerContainer<String, V> recordContainer(
      TopicSpec<V> topic,
      String groupId,
      int concurrency,
      int maxPollRecords,
      java.time.Duration maxPollInterval,
      MessageListener<String, V> listener,
      byte @Nullable [] signatureKey) {
    return recordContainer(
        topic, groupId, concurrency, maxPollRecords, maxPollInterval, listener, signatureKey, null);
  }

  /**
   * {@link #recordContainer(TopicSpec, String, int, int, java.time.Duration, MessageListener,
   * byte[])}, and {@code whenGivenUp} runs after a record has been dead-lettered (its retries used
   * up, or unreadable): for a stage that must still answer the record's sender.
   */
  public <V extends SpecificRecord> ConcurrentMessageListenerContainer<String, V> recordContainer(
      TopicSpec<V> topic,
      String groupId,
      int concurrency,
      int maxPollRecords,
      java.time.Duration maxPollInterval,
      MessageListener<String, V> listener,
      byte @Nullable [] signatureKey,
      @Nullable ConsumerRecordRecoverer whenGivenUp) {
    int maxPollIntervalMs = (int) Math.min(Integer.MAX_VALUE, maxPollInterval.toMillis());
    ConcurrentMessageListenerContainer<String, V> c =
        new ConcurrentMessageListenerContainer<>(
            consumerFactory(topic, groupId, maxPollRecords, maxPollIntervalMs, signatureKey),
            properties(topic, groupId, listener));
    c.setConcurrency(concurrency);
    ConsumerRecordRecoverer deadLetter = DeadLetters.recoverer(template(groupId + "-dlt"), groupId);
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            whenGivenUp == null
                ? deadLetter
                : (rec, ex) -> {
                  deadLetter.accept(rec, ex);
                  whenGivenUp.accept(rec, ex);
                },
            new FixedBackOff(1000L, 2L));
    handler.addNotRetryableExceptions(InvalidEventException.class, IllegalArgumentException.class);
    c.setCommonErrorHandler(handler);
    return c;
  }

  /**
   * A container delivering poll batches, each processed inside one Kafka transaction together with
   * the consumed offsets: exactly once from input to output topic.
   */
  public <V extends SpecificRecord>
      ConcurrentMessageListenerContainer<String, V> transactionalBatchContainer(
          TopicSpec<V> topic,
          String groupId,
          int concurrency,
          int maxPollRecords,
          KafkaTransactionManager<Object, Object> transactions,
          BatchMessageListener<String, V> listener) {
    ContainerProperties props = properties(topic, groupId, listener);
    props.setKafkaAwareTransactionManager(transactions);
    props.setAckMode(ContainerProperties.AckMode.BATCH);
    ConcurrentMessageListenerContainer<String, V> c =
        new ConcurrentMessageListenerContainer<>(
            consumerFactory(topic, groupId, maxPollRecords, 300_000, null), props);
    c.setConcurrency(concurrency);
    return c;
  }

  /** Closes every producer this made (after the containers have stopped). */
  @Override
  public void destroy() {
    factories.forEach(DefaultKafkaProducerFactory::destroy);
    factories.clear();
  }

  private static ContainerProperties properties(
      TopicSpec<?> topic, String groupId, Object listener) {
    ContainerProperties props = new ContainerProperties(topic.name());
    props.setGroupId(groupId);
    props.setClientId(groupId);
    props.setMessageListener(listener);
    props.setAckMode(ContainerProperties.AckMode.RECORD);
    // a refusal by the broker's authorizer can be passing (ACLs just made, or being changed):
    // try again rather than stop the consumer for good
    props.setAuthExceptionRetryInterval(java.time.Duration.ofSeconds(5));
    return props;
  }

  /**
   * The value deserializer: signed topics verified; request topics digested, so the listener can
   * check their actor claims ({@link io.lifeboat.stage.common.auth.KafkaRequestGuard}).
   */
  private static <V extends SpecificRecord>
      org.apache.kafka.common.serialization.Deserializer<V> requestDigests(
          TopicSpec<V> topic, byte @Nullable [] signatureKey) {
    org.apache.kafka.common.serialization.Deserializer<V> d =
        signatureKey == null
            ? EventSerde.of(topic)
            : EventSignatures.verifying(EventSerde.of(topic), signatureKey);
    return io.lifeboat.stage.common.auth.KafkaRequestGuard.REQUEST_TOPICS.contains(topic.name())
        ? io.lifeboat.stage.common.auth.ActorSignatures.digesting(d)
        : d;
  }

  private <V extends SpecificRecord> DefaultKafkaConsumerFactory<String, V> consumerFactory(
      TopicSpec<V> topic,
      String groupId,
      int maxPollRecords,
      int maxPollIntervalMs,
      byte @Nullable [] signatureKey) {
    Map<String, Object> props =
        topic.name().startsWith("lifeboat.chunks.")
            ? clients.chunkConsumer(groupId, maxPollRecords, maxPollIntervalMs)
            : clients.consumer(groupId, maxPollRecords, maxPollIntervalMs);
    DefaultKafkaConsumerFactory<String, V> f =
        new DefaultKafkaConsumerFactory<>(
            props,
            new StringDeserializer(),
            new ErrorHandlingDeserializer<>(requestDigests(topic, signatureKey)));
    if (meters != null) {
      f.addListener(
          new org.springframework.kafka.core.MicrometerConsumerListener<>(
              meters, List.of(io.micrometer.core.instrument.Tag.of("stage", groupId))));
    }
    return f;
  }
}
