package io.lifeboat.core.restore;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.HealthReport;
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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Restores components of a backup straight from the repository to their targets. Needs only the
 * repository and its key.
 *
 * <p>Every target is checked before anything is fetched or written. An occupied target with {@link
 * RestoreTarget.Occupied#REPLACE} is moved aside first. Each restored component must pass its
 * provider's health check. When a component fails, it and every component restored before it in
 * this run are rolled back in reverse order (what was written is removed, what was moved aside is
 * put back): a restore completes whole or leaves the targets as they were (except for MERGE
 * targets, which cannot be unmerged and are reported).
 */
public final class Restorer implements AutoCloseable {

  private final Repository repository;
  private final ProviderRegistry providers;
  private final ExecutorService executor;
  private final int window;

  public Restorer(Repository repository, ProviderRegistry providers, int parallelism) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.providers = Objects.requireNonNull(providers, "providers");
    this.executor =
        Executors.newFixedThreadPool(Math.max(1, parallelism), daemon("lifeboat-restore"));
    this.window = Math.max(2, parallelism * 2);
  }

  private record Planned(
      Manifest.Component component, ComponentProvider provider, RestoreTarget target) {}

  private record Done(Planned planned, Optional<Aside> aside) {}

  /**
   * Restores the named components.
   *
   * @param targets component name to target, in restore order
   * @throws RestoreException when a target is refused (nothing was touched) or a component failed
   *     (everything this run did was rolled back; the problems say what happened)
   */
  public RestoreReport restore(Manifest manifest, Map<String, RestoreTarget> targets)
      throws RestoreException {
    long start = System.nanoTime();
    List<Planned> plan = plan(manifest, targets);
    List<Done> done = new ArrayList<>();
    List<RestoreReport.Restored> report = new ArrayList<>();
    for (Planned p : plan) {
      long t0 = System.nanoTime();
      Optional<Aside> aside = Optional.empty();
      try {
        if (p.target().occupied() == RestoreTarget.Occupied.REPLACE
            && p.provider().occupied(p.target())) {
          aside = Optional.of(p.provider().moveAside(p.target()));
        }
        long bytes = restoreStream(p);
        HealthReport health = p.provider().healthCheck(p.target(), p.component().metadata());
        if (!health.healthy()) {
          throw new IOException("health check failed: " + String.join("; ", health.problems()));
        }
        done.add(new Done(p, aside));
        report.add(
            new RestoreReport.Restored(
                p.component().name(),
                p.target().spec(),
                bytes,
                Duration.ofNanos(System.nanoTime() - t0),
                health,
                aside));
      } catch (IOException | RuntimeException e) {
        List<String> problems = new ArrayList<>();
        problems.add(
            "restoring "
                + p.component().name()
                + " into "
                + p.target().spec()
                + " failed: "
                + e.getMessage());
        done.add(new Done(p, aside));
        boolean undone = rollBack(done, problems);
        throw new RestoreException(problems, e, undone);
      }
    }
    return new RestoreReport(
        manifest.backupId(), report, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Restores one component (a step of a recovery plan): checks the target, moves an occupied target
   * aside when the target says REPLACE, streams the component in, health-checks it. When anything
   * fails, undoes its own work (removes what it wrote, puts the original back) and throws.
   *
   * @param progress told the plaintext bytes restored so far, as they flow
   * @return what was restored, with the moved-aside original (keep it to undo the step later)
   */
  public RestoreReport.Restored restoreComponent(
      Manifest manifest,
      String componentName,
      RestoreTarget target,
      java.util.function.LongConsumer progress)
      throws RestoreException {
    return restoreComponent(manifest, componentName, target, progress, aside -> {});
  }

  /**
   * As {@link #restoreComponent(Manifest, String, RestoreTarget, java.util.function.LongConsumer)},
   * telling {@code beforeWrite} where the original went (if it was moved) before the first byte is
   * written: a caller that must survive its own crash records it.
   */
  public RestoreReport.Restored restoreComponent(
      Manifest manifest,
      String componentName,
      RestoreTarget target,
      java.util.function.LongConsumer progress,
      java.util.function.Consumer<Optional<Aside>> beforeWrite)
      throws RestoreException {
    long t0 = System.nanoTime();
    Planned p = plan(manifest, Map.of(componentName, target)).get(0);
    Optional<Aside> aside = Optional.empty();
    try {
      if (p.target().occupied() == RestoreTarget.Occupied.REPLACE
          && p.provider().occupied(p.target())) {
        aside = Optional.of(p.provider().moveAside(p.target()));
      }
      beforeWrite.accept(aside);
      long bytes = restoreStream(p, progress);
      HealthReport health = p.provider().healthCheck(p.target(), p.component().metadata());
      if (!health.healthy()) {
        throw new IOException("health check failed: " + String.join("; ", health.problems()));
      }
      return new RestoreReport.Restored(
          p.component().name(),
          p.target().spec(),
          bytes,
          Duration.ofNanos(System.nanoTime() - t0),
          health,
          aside);
    } catch (IOException | RuntimeException e) {
      List<String> problems = new ArrayList<>();
      problems.add(
          "restoring "
              + p.component().name()
              + " into "
              + p.target().spec()
              + " failed: "
              + e.getMessage());
      boolean undone = rollBack(List.of(new Done(p, aside)), problems);
      throw new RestoreException(problems, e, undone);
    }
  }

  /**
   * Undoes a restored component (a recovery step's compensation): removes what the restore wrote
   * and puts the moved-aside original back, if there is one.
   */
  public void undo(String kind, RestoreTarget target, Optional<Aside> aside) throws IOException {
    try {
      providers.byKind(kind).rollBack(target, aside);
    } catch (InvalidSourceException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private List<Planned> plan(Manifest manifest, Map<String, RestoreTarget> targets)
      throws RestoreException {
    List<Planned> plan = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, RestoreTarget> e : new LinkedHashMap<>(targets).entrySet()) {
      var component = manifest.component(e.getKey());
      if (component.isEmpty()) {
        problems.add("backup " + manifest.backupId() + " has no component '" + e.getKey() + "'");
        continue;
      }
      try {
        ComponentProvider provider = providers.byKind(component.get().kind());
        secureFolder(provider, e.getValue());
        for (String p : provider.checkTarget(e.getValue())) {
          problems.add(e.getKey() + ": " + p);
        }
        plan.add(new Planned(component.get(), provider, e.getValue()));
      } catch (InvalidSourceException | IOException ex) {
        problems.add(e.getKey() + ": " + ex.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new RestoreException(problems, null);
    }
    return plan;
  }

  /**
   * Makes the folder a folder kind writes its target in ({@link ComponentProvider#restoreFolder}),
   * and refuses it when it is not the restore's own: a link another user puts in the target's path
   * after the target policy looked must not lead a write, a move aside or a rollback elsewhere.
   * Called before anything else is done with the target; a refusal leaves it untouched.
   */
  public static void secureFolder(ComponentProvider provider, RestoreTarget target)
      throws IOException {
    if (!provider.restoresToFolder()) {
      return;
    }
    java.nio.file.Path folder =
        provider.restoreFolder(
            java.nio.file.Path.of(
                    io.lifeboat.core.policy.TargetForm.of(provider).path(target.spec()))
                .toAbsolutePath()
                .normalize());
    if (folder != null) {
      io.lifeboat.core.policy.RealPaths.makeOwnFolder(folder, provider.trustedOwners(target));
    }
  }

  private long restoreStream(Planned p) throws IOException {
    return restoreStream(p, null);
  }

  private long restoreStream(Planned p, java.util.function.@Nullable LongConsumer progress)
      throws IOException {
    Manifest.Component c = p.component();
    try (ChunkStream stream =
        new ChunkStream(
            repository,
            c.name(),
            ChunkStream.ids(c.chunks()),
            c.streamSha256(),
            executor,
            window)) {
      p.provider()
          .restore(
              progress == null ? stream : new ProgressInputStream(stream, progress),
              p.target(),
              c.metadata());
      stream.drainAndCheck();
      if (progress != null) {
        progress.accept(stream.bytesRead());
      }
      return stream.bytesRead();
    }
  }

  /** Undoes this run's components, newest first, and says what it did. */
  /**
   * @return whether every target is back as it was
   */
  private static boolean rollBack(List<Done> done, List<String> problems) {
    boolean all = true;
    for (int i = done.size() - 1; i >= 0; i--) {
      Done d = done.get(i);
      String name = d.planned().component().name();
      if (d.planned().target().occupied() == RestoreTarget.Occupied.MERGE) {
        problems.add(
            name
                + ": restored into "
                + d.planned().target().spec()
                + " with --force; not rolled back (cannot unmerge)");
        all = false;
        continue;
      }
      try {
        d.planned().provider().rollBack(d.planned().target(), d.aside());
        problems.add(
            name
                + ": rolled back"
                + d.aside().map(a -> ", original put back from " + a.location()).orElse(""));
      } catch (IOException | RuntimeException e) {
        problems.add(
            name
                + ": ROLLBACK FAILED: "
                + e.getMessage()
                + d.aside().map(a -> " (the original is kept at " + a.location() + ")").orElse(""));
        all = false;
      }
    }
    return all;
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
