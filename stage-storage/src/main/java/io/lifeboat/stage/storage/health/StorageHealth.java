package io.lifeboat.stage.storage.health;

import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.storage.Backend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the primary storage location answers, for the readiness probe: a service that cannot
 * reach its storage is not ready. One small request (is the repository's config object there?),
 * answered within 5 s, kept for 5 s so frequent probes cost one request. Replicas are reported by
 * the replica metrics and alerts, not here: a replica down does not stop backups.
 */
public final class StorageHealth implements HealthIndicator {

  private static final Duration CACHE = Duration.ofSeconds(5);

  private final Backend primary;

  /** Its own thread: a storage that hangs must not hold a thread of a shared pool. */
  private final java.util.concurrent.ExecutorService probe =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lifeboat-storage-health");
            t.setDaemon(true);
            return t;
          });

  private volatile @Nullable Health last;
  private volatile long lastAt;

  public StorageHealth(Backend primary) {
    this.primary = primary;
  }

  @Override
  public Health health() {
    Health cached = last;
    if (cached != null && System.nanoTime() - lastAt < CACHE.toNanos()) {
      return cached;
    }
    String location = Redact.location(primary.location());
    Health h;
    try {
      boolean initialised =
          CompletableFuture.supplyAsync(() -> primary.exists("config"), probe)
              .get(5, TimeUnit.SECONDS);
      h =
          initialised
              ? Health.up().withDetail("location", location).build()
              : Health.down()
                  .withDetail("location", location)
                  .withDetail("error", "no repository there (lifeboat init)")
                  .build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      h =
          Health.down()
              .withDetail("location", location)
              .withDetail("error", "the storage does not answer")
              .build();
    }
    last = h;
    lastAt = System.nanoTime();
    return h;
  }
}
