package io.lifeboat.core.restore;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Restores components of a backup straight from the repository to their targets. Needs only the
 * repository and its key. Every target is checked before anything is fetched or written.
 */
public final class Restorer implements AutoCloseable {

  private final Repository repository;
  private final ProviderRegistry providers;
  private final ExecutorService executor;
  private final int window;

  public Restorer(Repository repository, ProviderRegistry providers, int parallelism) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.providers = Objects.requireNonNull(providers, "providers");
    this.executor = Executors.newFixedThreadPool(Math.max(1, parallelism), daemon("lifeboat-restore"));
    this.window = Math.max(2, parallelism * 2);
  }

  /**
   * Restores the named components.
   *
   * @param targets component name to target, in restore order
   */
  public RestoreReport restore(Manifest manifest, Map<String, RestoreTarget> targets)
      throws RestoreException {
    long start = System.nanoTime();
    Map<Manifest.Component, ComponentProvider> plan = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, RestoreTarget> e : targets.entrySet()) {
      var component = manifest.component(e.getKey());
      if (component.isEmpty()) {
        problems.add("backup " + manifest.backupId() + " has no component '" + e.getKey() + "'");
        continue;
      }
      try {
        ComponentProvider provider = providers.byKind(component.get().kind());
        for (String p : provider.checkTarget(e.getValue())) {
          problems.add(e.getKey() + ": " + p);
        }
        plan.put(component.get(), provider);
      } catch (InvalidSourceException ex) {
        problems.add(e.getKey() + ": " + ex.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new RestoreException(problems, null);
    }
    List<RestoreReport.Restored> done = new ArrayList<>();
    for (Map.Entry<Manifest.Component, ComponentProvider> e : plan.entrySet()) {
      Manifest.Component c = e.getKey();
      RestoreTarget target = targets.get(c.name());
      long t0 = System.nanoTime();
      try (ChunkStream stream =
          new ChunkStream(
              repository, c.name(), ChunkStream.ids(c.chunks()), c.streamSha256(), executor, window)) {
        e.getValue().restore(stream, target, c.metadata());
        stream.drainAndCheck();
        done.add(
            new RestoreReport.Restored(
                c.name(), target.spec(), stream.bytesRead(), Duration.ofNanos(System.nanoTime() - t0)));
      } catch (IOException | RuntimeException ex) {
        throw new RestoreException(
            List.of("restoring " + c.name() + " into " + target.spec() + " failed: " + ex.getMessage()), ex);
      }
    }
    return new RestoreReport(manifest.backupId(), done, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
