package io.lifeboat.testkit;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real single-node KRaft broker per test JVM, in-process (Kafka's own test cluster kit via
 * spring-kafka-test), started on first use and stopped when the JVM exits. Configured as the
 * embedded default is: large records, single-replica internal topics (else transactions and Kafka
 * Streams wait 60 s for replicas that never come), no rebalance delay.
 */
public final class TestBroker {

  private static @Nullable EmbeddedKafkaKraftBroker broker;

  private TestBroker() {}

  /** Bootstrap servers of the shared broker, starting it if needed. */
  public static synchronized String bootstrapServers() {
    if (broker == null) {
      broker = start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestBroker::stop, "test-broker-stop"));
    }
    return broker.getBrokersAsString();
  }

  /** Starts a broker owned by the caller (for tests that stop Kafka). */
  public static EmbeddedKafkaKraftBroker start() {
    EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 1);
    b.brokerProperties(brokerProperties());
    b.afterPropertiesSet();
    return b;
  }

  public static Map<String, String> brokerProperties() {
    return Map.of(
        "message.max.bytes", Integer.toString(17 * 1024 * 1024),
        "replica.fetch.max.bytes", Integer.toString(17 * 1024 * 1024),
        "offsets.topic.replication.factor", "1",
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "group.initial.rebalance.delay.ms", "0",
        "auto.create.topics.enable", "false");
  }

  private static synchronized void stop() {
    if (broker != null) {
      try {
        broker.destroy();
      } catch (RuntimeException e) {
        // shutting down anyway
      }
      broker = null;
    }
  }
}
