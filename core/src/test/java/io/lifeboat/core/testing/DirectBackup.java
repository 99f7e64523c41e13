package io.lifeboat.core.testing;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.dump.ComponentDumper;
import io.lifeboat.core.dump.DumpedStream;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backup without the pipeline, for tests of core and providers: dump, seal and store in one
 * thread, then write the manifest. The pipeline does the same work spread over stages.
 */
public final class DirectBackup {

  private DirectBackup() {}

  /** Result: the manifest written and the dump behind it. */
  public record Result(Manifest manifest, DumpedStream dump) {}

  public static Result run(
      Repository repo, ComponentProvider provider, String spec, String backupId) throws Exception {
    ComponentSource source = provider.parse(spec);
    Set<ChunkId> known = repo.listChunks();
    DumpedStream d =
        new ComponentDumper(repo)
            .dump(
                provider,
                source,
                known,
                (id, data, off, len) -> repo.storeChunk(id, repo.sealChunk(id, data, off, len, 1)));
    Manifest m =
        new Manifest(
            Manifest.VERSION,
            backupId,
            "test",
            "FULL",
            d.result().warnings().isEmpty() ? "SUCCESS" : "PARTIAL",
            Map.of(),
            Instant.now(),
            Instant.now(),
            Instant.now(),
            List.of(
                new Manifest.Component(
                    provider.kind(),
                    provider.kind(),
                    source.display(),
                    d.result().warnings().isEmpty() ? "OK" : "PARTIAL",
                    d.result().warnings(),
                    d.sizeBytes(),
                    d.sha256(),
                    d.result().metadata(),
                    d.chunkIds().stream().map(ChunkId::hex).toList(),
                    d.chunkSizes())));
    Repository.storeManifest(repo.backend(), backupId, repo.sealManifest(m));
    return new Result(m, d);
  }
}
