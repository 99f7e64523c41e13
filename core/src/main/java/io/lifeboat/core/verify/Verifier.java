package io.lifeboat.core.verify;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.OrderedChunkFetcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Re-reads every chunk of a backup from storage (in parallel), authenticates it, checks it against
 * its id and size, and each component stream against its checksum. Reports every damaged chunk, not
 * just the first.
 */
public final class Verifier implements AutoCloseable {

  private final Repository repository;
  private final ExecutorService executor;
  private final int window;

  public Verifier(Repository repository, int parallelism) {
    this.repository = repository;
    this.executor =
        Executors.newFixedThreadPool(
            Math.max(1, parallelism),
            r -> {
              Thread t = new Thread(r, "lifeboat-verify");
              t.setDaemon(true);
              return t;
            });
    this.window = Math.max(2, parallelism * 2);
  }

  public VerifyReport verify(Manifest manifest) {
    long start = System.nanoTime();
    List<VerifyReport.Damage> damaged = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int chunks = 0;
    long bytes = 0;
    for (Manifest.Component c : manifest.components()) {
      List<ChunkId> ids = c.chunks().stream().map(ChunkId::parse).toList();
      MessageDigest digest = sha256();
      boolean intact = true;
      long streamBytes = 0;
      OrderedChunkFetcher fetcher = new OrderedChunkFetcher(repository, ids, executor, window);
      while (fetcher.hasNext()) {
        OrderedChunkFetcher.Fetched f = fetcher.next();
        chunks++;
        if (!f.ok()) {
          intact = false;
          damaged.add(
              new VerifyReport.Damage(
                  c.name(), f.index(), f.id().hex(), Objects.requireNonNull(f.error())));
          continue;
        }
        byte[] plain =
            Objects.requireNonNull(f.plain()); // ok(): no error, so the plaintext is there
        int expected = c.chunkSizes().get(f.index());
        if (plain.length != expected) {
          intact = false;
          damaged.add(
              new VerifyReport.Damage(
                  c.name(),
                  f.index(),
                  f.id().hex(),
                  "has " + plain.length + " bytes, the manifest says " + expected));
          continue;
        }
        digest.update(plain);
        streamBytes += plain.length;
        bytes += plain.length;
      }
      if (intact) {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!c.streamSha256().isEmpty() && !actual.equals(c.streamSha256())) {
          problems.add(
              c.name()
                  + ": stream checksum "
                  + actual
                  + " does not match the manifest's "
                  + c.streamSha256());
        }
        if (streamBytes != c.sizeBytes()) {
          problems.add(
              c.name()
                  + ": stream has "
                  + streamBytes
                  + " bytes, the manifest says "
                  + c.sizeBytes());
        }
      }
    }
    return new VerifyReport(
        manifest.backupId(),
        chunks,
        bytes,
        damaged,
        problems,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
