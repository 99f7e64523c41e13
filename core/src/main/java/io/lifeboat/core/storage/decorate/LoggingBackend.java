package io.lifeboat.core.storage.decorate;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each operation (name, bytes, milliseconds) at DEBUG; never object content. */
public final class LoggingBackend implements DecoratedBackend {

  private static final Logger LOG = LoggerFactory.getLogger(LoggingBackend.class);

  private final Backend inner;

  public LoggingBackend(Backend inner) {
    this.inner = inner;
  }

  @Override
  public Backend inner() {
    return inner;
  }

  private void log(String op, String name, long bytes, long startNanos) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{} {} {} ({} bytes) in {} ms",
          inner.location(),
          op,
          name,
          bytes,
          (System.nanoTime() - startNanos) / 1_000_000);
    }
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    long t = System.nanoTime();
    boolean written = inner.putIfAbsent(name, data);
    log(written ? "put" : "put (present)", name, data.length, t);
    return written;
  }

  @Override
  public byte[] get(String name) {
    long t = System.nanoTime();
    byte[] data = inner.get(name);
    log("get", name, data.length, t);
    return data;
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    long t = System.nanoTime();
    byte[] data = inner.get(name, offset, length);
    log("get range", name, data.length, t);
    return data;
  }

  @Override
  public OptionalLong size(String name) {
    return inner.size(name);
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    long t = System.nanoTime();
    inner.list(prefix, each);
    log("list", prefix, 0, t);
  }

  @Override
  public boolean delete(String name) {
    long t = System.nanoTime();
    boolean deleted = inner.delete(name);
    log("delete", name, 0, t);
    return deleted;
  }
}
