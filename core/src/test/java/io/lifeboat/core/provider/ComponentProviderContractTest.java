package io.lifeboat.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.RestoreException;
import io.lifeboat.core.restore.RestoreReport;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.DirectBackup;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ComponentProvider} keeps, run against each implementation (folders
 * here; PostgreSQL, MariaDB and Redis against the real servers): a dump restores to an equal target
 * that passes its health check; an unchanged source dumps to the same bytes (so it stores nothing
 * new); an occupied target is refused unless moved aside; moving aside and rolling back puts the
 * original back; a damaged target fails the health check; a missing source is reported, not thrown.
 */
public abstract class ComponentProviderContractTest {

  protected Repository repository;

  protected abstract ComponentProvider provider();

  /** A spec of a populated, non-trivial source, made fresh for each test. */
  protected abstract String newSource() throws Exception;

  /** A spec of an empty (or not yet existing) target that the provider can restore into. */
  protected abstract String newTarget() throws Exception;

  /** A spec of a target that already holds data of its own. */
  protected abstract String occupiedTarget() throws Exception;

  /** A spec of this kind that names nothing that exists (or cannot be reached). */
  protected abstract String missingSource();

  /** Fails unless the target holds exactly what the source holds. */
  protected abstract void assertSameContent(String sourceSpec, String targetSpec) throws Exception;

  /** A comparable description of everything a target holds (equal objects = same content). */
  protected abstract Object describe(String targetSpec) throws Exception;

  /** Changes a restored target so that its health check must fail (drop a table, delete a file). */
  protected abstract void damage(String targetSpec) throws Exception;

  @BeforeEach
  void newRepository() {
    repository =
        Repository.init(
            new MemBackend(UUID.randomUUID().toString()),
            MasterKey.generate(),
            new ChunkerParams(4 * 1024, 16 * 1024, 64 * 1024, 1L));
  }

  protected RestoreReport restore(Manifest m, RestoreTarget target) throws RestoreException {
    try (Restorer r = new Restorer(repository, ProviderRegistry.of(provider()), 2)) {
      return r.restore(m, Map.of(provider().kind(), target));
    }
  }

  protected Manifest backup(String source) throws Exception {
    return DirectBackup.run(repository, provider(), source, "b-" + UUID.randomUUID()).manifest();
  }

  @Test
  void dump_thenRestore_givesAnEqualTarget_thatPassesItsHealthCheck() throws Exception {
    String source = newSource();
    String target = newTarget();
    RestoreReport report = restore(backup(source), new RestoreTarget(target));
    assertSameContent(source, target);
    assertThat(report.components().get(0).health().healthy()).isTrue();
    assertThat(report.components().get(0).health().checks()).isNotEmpty();
  }

  /**
   * An unchanged source dumps to the same stream, except perhaps for a small header (pg_dump
   * records the time of the dump): everything after the first 4 KiB must be identical.
   */
  @Test
  void dump_ofUnchangedSource_isTheSameStream_butForAHeader() throws Exception {
    ComponentSource source = provider().parse(newSource());
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    provider().dump(source, first);
    provider().dump(source, second);
    byte[] a = first.toByteArray();
    byte[] b = second.toByteArray();
    assertThat(a.length).isPositive();
    assertThat(b.length).isEqualTo(a.length);
    int headerLimit = Math.min(4096, a.length);
    assertThat(java.util.Arrays.equals(a, headerLimit, a.length, b, headerLimit, b.length))
        .isTrue();
  }

  @Test
  void secondBackup_ofUnchangedSource_storesAtMostTheHeaderChunk() throws Exception {
    String source = newSource();
    DirectBackup.run(repository, provider(), source, "b-1");
    var second = DirectBackup.run(repository, provider(), source, "b-2");
    assertThat(second.dump().newChunkCount()).isLessThanOrEqualTo(1);
    assertThat(second.dump().chunkIds().size()).isGreaterThan(second.dump().newChunkCount());
  }

  @Test
  void checkTarget_occupied_isRefused_unlessReplace() throws Exception {
    String occupied = occupiedTarget();
    assertThat(provider().occupied(new RestoreTarget(occupied))).isTrue();
    assertThat(provider().checkTarget(new RestoreTarget(occupied))).isNotEmpty();
    assertThat(provider().checkTarget(new RestoreTarget(occupied, RestoreTarget.Occupied.REPLACE)))
        .isEmpty();
    String fresh = newTarget();
    assertThat(provider().occupied(new RestoreTarget(fresh))).isFalse();
    assertThat(provider().checkTarget(new RestoreTarget(fresh))).isEmpty();
  }

  @Test
  void moveAside_thenRollBack_putsTheOriginalBack() throws Exception {
    String occupied = occupiedTarget();
    Object before = describe(occupied);
    RestoreTarget target = new RestoreTarget(occupied, RestoreTarget.Occupied.REPLACE);

    Aside aside = provider().moveAside(target);
    assertThat(provider().occupied(target)).isFalse();
    provider().rollBack(target, Optional.of(aside));

    assertThat(describe(occupied)).isEqualTo(before);
  }

  @Test
  void replaceRestore_keepsTheOriginalAside_untilDropped() throws Exception {
    String source = newSource();
    String occupied = occupiedTarget();
    RestoreReport report =
        restore(backup(source), new RestoreTarget(occupied, RestoreTarget.Occupied.REPLACE));

    assertSameContent(source, occupied);
    Aside aside = report.components().get(0).aside().orElseThrow();
    provider().dropAside(aside);
    provider().dropAside(aside);
  }

  @Test
  void failedRestore_overAnOccupiedTarget_putsTheOriginalBack() throws Exception {
    String source = newSource();
    Manifest m = backup(source);
    String occupied = occupiedTarget();
    Object before = describe(occupied);
    // A manifest whose stream checksum is wrong: the restore runs to its end, then must fail.
    Manifest.Component c = m.components().get(0);
    Manifest broken =
        new Manifest(
            m.version(),
            m.backupId(),
            m.name(),
            m.type(),
            m.status(),
            m.labels(),
            m.requestedAt(),
            m.startedAt(),
            m.completedAt(),
            List.of(
                new Manifest.Component(
                    c.name(),
                    c.kind(),
                    c.source(),
                    c.status(),
                    c.warnings(),
                    c.sizeBytes(),
                    "00".repeat(32),
                    c.metadata(),
                    c.chunks(),
                    c.chunkSizes())));

    assertThatThrownBy(
            () -> restore(broken, new RestoreTarget(occupied, RestoreTarget.Occupied.REPLACE)))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("rolled back");
    assertThat(describe(occupied)).isEqualTo(before);
  }

  @Test
  void rollBack_withNothingAside_removesWhatWasRestored() throws Exception {
    String target = newTarget();
    restore(backup(newSource()), new RestoreTarget(target));
    provider().rollBack(new RestoreTarget(target), Optional.empty());
    assertThat(provider().occupied(new RestoreTarget(target))).isFalse();
    provider().rollBack(new RestoreTarget(target), Optional.empty());
  }

  @Test
  void damagedTarget_failsTheHealthCheck() throws Exception {
    String source = newSource();
    Manifest m = backup(source);
    String target = newTarget();
    restore(m, new RestoreTarget(target));
    damage(target);
    HealthReport health =
        provider().healthCheck(new RestoreTarget(target), m.components().get(0).metadata());
    assertThat(health.healthy()).isFalse();
    assertThat(health.problems()).isNotEmpty();
  }

  @Test
  void check_missingSource_isReportedAsAProblem() throws Exception {
    List<String> problems = provider().check(provider().parse(missingSource()));
    assertThat(problems).isNotEmpty();
  }

  @Test
  void parse_otherKind_isInvalid() {
    assertThatThrownBy(() -> provider().parse("nosuchkind:/x"))
        .isInstanceOf(InvalidSourceException.class);
  }
}
