package io.lifeboat.core.restore;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.StorageException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Loads and opens a component's chunks in stream order, with up to {@code window} chunks fetched
 * ahead in parallel: restore and verify read at the speed of the slowest of storage, decryption and
 * the consumer, not of their sum.
 */
public final class OrderedChunkFetcher {

  /** One chunk's outcome: its plaintext, or why it could not be had. */
  public record Fetched(int index, ChunkId id, byte @Nullable [] plain, @Nullable String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final Repository repository;
  private final List<ChunkId> ids;
  private final Executor executor;
  private final int window;
  private final Deque<CompletableFuture<Fetched>> inFlight = new ArrayDeque<>();
  private int nextToStart;
  private int nextToReturn;

  public OrderedChunkFetcher(
      Repository repository, List<ChunkId> ids, Executor executor, int window) {
    this.repository = repository;
    this.ids = ids;
    this.executor = executor;
    this.window = Math.max(1, window);
  }

  public boolean hasNext() {
    return nextToReturn < ids.size();
  }

  public Fetched next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    while (inFlight.size() < window && nextToStart < ids.size()) {
      int index = nextToStart++;
      ChunkId id = ids.get(index);
      inFlight.add(CompletableFuture.supplyAsync(() -> load(index, id), executor));
    }
    nextToReturn++;
    return inFlight.removeFirst().join();
  }

  public void cancel() {
    inFlight.forEach(f -> f.cancel(true));
    inFlight.clear();
  }

  private Fetched load(int index, ChunkId id) {
    try {
      return new Fetched(index, id, repository.loadChunk(id), null);
    } catch (DamagedObjectException e) {
      return new Fetched(index, id, null, "damaged: " + e.getMessage());
    } catch (StorageException e) {
      return new Fetched(
          index,
          id,
          null,
          (e.isPermanent() ? "missing or unreadable: " : "storage error: ") + e.getMessage());
    } catch (RuntimeException e) {
      return new Fetched(index, id, null, "unexpected: " + e);
    }
  }
}
