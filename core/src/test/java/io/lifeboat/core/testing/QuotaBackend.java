package io.lifeboat.core.testing;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A backend with a size limit, as a full disk or a quota has (tests only): a write that would pass
 * the limit fails as a full local disk does. The limit is read from a file at every write, so a
 * test can "free space" by raising it; no file means no limit.
 */
public final class QuotaBackend implements Backend {

  private final Backend inner;
  private final Path limitFile;
  private final AtomicLong used = new AtomicLong();

  public QuotaBackend(Backend inner, Path limitFile) {
    this.inner = inner;
    this.limitFile = limitFile;
    inner.list("", o -> used.addAndGet(o.size()));
  }

  private long limit() {
    try {
      return Files.exists(limitFile)
          ? Long.parseLong(Files.readString(limitFile).strip())
          : Long.MAX_VALUE;
    } catch (IOException | NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String location() {
    return "quota+" + inner.location();
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    if (inner.exists(name)) {
      return false;
    }
    if (used.get() + data.length > limit()) {
      throw StorageException.full(
          "cannot write "
              + name
              + " in "
              + location()
              + ": the storage is full (No space left on device)",
          null);
    }
    boolean written = inner.putIfAbsent(name, data);
    if (written) {
      used.addAndGet(data.length);
    }
    return written;
  }

  @Override
  public byte[] get(String name) {
    return inner.get(name);
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    return inner.get(name, offset, length);
  }

  @Override
  public java.util.Optional<String> version(String name) {
    return inner.version(name);
  }

  @Override
  public OptionalLong size(String name) {
    return inner.size(name);
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    inner.list(prefix, each);
  }

  @Override
  public boolean delete(String name) {
    OptionalLong size = inner.size(name);
    boolean deleted = inner.delete(name);
    if (deleted && size.isPresent()) {
      used.addAndGet(-size.getAsLong());
    }
    return deleted;
  }

  @Override
  public void close() {
    inner.close();
  }
}
