package io.lifeboat.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.DirectBackup;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ComponentProvider} keeps, run against each implementation: a dump
 * restores to an equal target, an unchanged source dumps to the same bytes (so it stores nothing
 * new), an occupied target is refused, and a missing source is reported, not thrown.
 */
public abstract class ComponentProviderContractTest {

  protected Repository repository;

  protected abstract ComponentProvider provider();

  /** A spec of a populated, non-trivial source, made fresh for each test. */
  protected abstract String newSource() throws Exception;

  /** A spec of an empty target that the provider can restore into. */
  protected abstract String newTarget() throws Exception;

  /** A spec of a target that already holds data. */
  protected abstract String occupiedTarget() throws Exception;

  /** A spec of this kind that names nothing that exists. */
  protected abstract String missingSource();

  /** Fails unless the target holds exactly what the source holds. */
  protected abstract void assertSameContent(String sourceSpec, String targetSpec) throws Exception;

  @BeforeEach
  void newRepository() {
    repository =
        Repository.init(
            new MemBackend(UUID.randomUUID().toString()),
            MasterKey.generate(),
            new ChunkerParams(4 * 1024, 16 * 1024, 64 * 1024, 1L));
  }

  @Test
  void dump_thenRestore_givesAnEqualTarget() throws Exception {
    String source = newSource();
    Manifest m = DirectBackup.run(repository, provider(), source, "b-1").manifest();
    String target = newTarget();
    try (Restorer r = new Restorer(repository, ProviderRegistry.of(provider()), 2)) {
      r.restore(m, Map.of(provider().kind(), new RestoreTarget(target, false)));
    }
    assertSameContent(source, target);
  }

  @Test
  void dump_ofUnchangedSource_isTheSameStream() throws Exception {
    String spec = newSource();
    ComponentSource source = provider().parse(spec);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    provider().dump(source, first);
    provider().dump(source, second);
    assertThat(first.size()).isPositive();
    assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
  }

  @Test
  void secondBackup_ofUnchangedSource_storesNoNewChunk() throws Exception {
    String source = newSource();
    DirectBackup.run(repository, provider(), source, "b-1");
    var second = DirectBackup.run(repository, provider(), source, "b-2");
    assertThat(second.dump().newChunkCount()).isZero();
  }

  @Test
  void checkTarget_occupied_isRefusedUnlessOverwrite() throws Exception {
    String occupied = occupiedTarget();
    assertThat(provider().checkTarget(new RestoreTarget(occupied, false))).isNotEmpty();
    assertThat(provider().checkTarget(new RestoreTarget(newTarget(), false))).isEmpty();
  }

  @Test
  void check_missingSource_isReportedAsAProblem() throws Exception {
    List<String> problems = provider().check(provider().parse(missingSource()));
    assertThat(problems).isNotEmpty();
  }

  @Test
  void parse_otherKind_isInvalid() {
    assertThatThrownBy(() -> provider().parse("nosuchkind:/x")).isInstanceOf(InvalidSourceException.class);
  }
}
