package io.lifeboat.catalog.metrics;

import io.lifeboat.catalog.query.CatalogQueryService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the catalog's state gauges ({@link CatalogMetrics#refresh}) from its stores ({@code
 * lifeboat.catalog.gauge-refresh}, 30 s), on one daemon thread: soon after the start, then at that
 * interval. While the stores load, it tries again at the next tick. The live RPO does not wait for
 * it: each successful completion updates it at once.
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
        Math.min(every.toMillis(), 2_000),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
