package io.lifeboat.catalog.metrics;

import io.lifeboat.catalog.query.CatalogQueryService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the catalog's state gauges ({@link CatalogMetrics#refresh}) from its stores every few
 * seconds, on one daemon thread. While the stores load, it tries again at the next tick.
 */
public final class GaugeRefresher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GaugeRefresher.class);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lifeboat-catalog-gauges");
            t.setDaemon(true);
            return t;
          });

  public GaugeRefresher(CatalogMetrics metrics, CatalogQueryService catalog, Duration every) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            metrics.refresh(catalog.all());
          } catch (io.lifeboat.catalog.query.CatalogNotReadyException e) {
            // loading: the next tick
          } catch (RuntimeException e) {
            LOG.debug("catalog gauges not refreshed: {}", e.toString());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
