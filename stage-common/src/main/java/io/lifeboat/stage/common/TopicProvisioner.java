package io.lifeboat.stage.common;

import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Lifeboat's topics and their dead-letter topics when missing (never alters existing ones:
 * operators may have added partitions). Fails with a clear message when Kafka is not reachable.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  public static void ensureTopics(KafkaClients clients, long timeoutSeconds) {
    try (Admin admin = Admin.create(clients.common())) {
      Set<String> existing;
      try {
        existing = admin.listTopics().names().get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "cannot reach Kafka at "
                + clients.bootstrapServers()
                + " within "
                + timeoutSeconds
                + " s");
      }
      List<NewTopic> missing = new ArrayList<>();
      short rf = clients.replicationFactor();
      for (TopicSpec<?> t : Topics.all()) {
        if (!existing.contains(t.name())) {
          missing.add(new NewTopic(t.name(), t.partitions(), rf).configs(t.configs()));
        }
        if (!existing.contains(t.deadLetterName())) {
          missing.add(new NewTopic(t.deadLetterName(), 1, rf).configs(Topics.deadLetterConfigs()));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      for (var f : admin.createTopics(missing).values().entrySet()) {
        try {
          f.getValue().get(timeoutSeconds, TimeUnit.SECONDS);
          LOG.info("created topic {}", f.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic "
                    + f.getKey()
                    + ": "
                    + Objects.requireNonNull(e.getCause()).getMessage(),
                e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
    }
  }
}
