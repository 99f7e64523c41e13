package io.lifeboat.stage.common.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the Kafka cluster answers, for the readiness probe ({@code /actuator/health/readiness}):
 * a service whose broker is gone is not ready, even though its HTTP port still answers. The answer
 * is kept for two seconds so that frequent probes cost one request.
 */
public final class KafkaHealth implements HealthIndicator, AutoCloseable {

  private static final Duration CACHE = Duration.ofSeconds(2);

  private final Admin admin;
  private volatile @Nullable Health last;
  private volatile long lastAt;

  public KafkaHealth(Map<String, Object> common) {
    Map<String, Object> props = new HashMap<>(common);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "lifeboat-health");
    this.admin = Admin.create(props);
  }

  @Override
  public Health health() {
    Health cached = last;
    if (cached != null && System.nanoTime() - lastAt < CACHE.toNanos()) {
      return cached;
    }
    Health h;
    try {
      int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
      h = nodes > 0 ? Health.up().withDetail("brokers", nodes).build() : Health.down().build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      h = Health.down().withDetail("error", "the Kafka cluster does not answer").build();
    }
    last = h;
    lastAt = System.nanoTime();
    return h;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
