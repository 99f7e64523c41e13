package io.lifeboat.stage.storage;

import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.decorate.DecoratedBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Times every storage operation and counts its bytes and errors, per location (without
 * credentials): {@code lifeboat_storage_operation_seconds{location,operation,outcome}}, {@code
 * lifeboat_storage_errors_total{location,operation}}, {@code
 * lifeboat_storage_written_bytes_total{location}} and {@code lifeboat_storage_read_bytes_total}.
 * Outermost in the decoration chain, so a time includes the retries and an error is one the caller
 * saw after them. A missing object is an outcome ({@code absent}), not an error.
 */
public final class MeteredBackend implements DecoratedBackend {

  private final Backend inner;
  private final MeterRegistry registry;
  private final String location;
  private final Counter written;
  private final Counter read;

  public MeteredBackend(Backend inner, MeterRegistry registry) {
    this.inner = inner;
    this.registry = registry;
    this.location = Redact.location(inner.location());
    this.written =
        Counter.builder("lifeboat.storage.written")
            .baseUnit("bytes")
            .description("Bytes written to a storage location")
            .tag("location", location)
            .register(registry);
    this.read =
        Counter.builder("lifeboat.storage.read")
            .baseUnit("bytes")
            .description("Bytes read from a storage location")
            .tag("location", location)
            .register(registry);
    for (String operation : java.util.List.of("put", "get", "stat", "list", "delete")) {
      errors(operation); // at 0 from the start, so that increase() sees the first error
    }
  }

  private Counter errors(String operation) {
    return Counter.builder("lifeboat.storage.errors")
        .description("Storage operations that failed (after retries)")
        .tag("location", location)
        .tag("operation", operation)
        .register(registry);
  }

  @Override
  public Backend inner() {
    return inner;
  }

  private <T> T timed(String operation, Supplier<T> call) {
    long start = System.nanoTime();
    String outcome = "error";
    try {
      T result = call.get();
      outcome = "ok";
      return result;
    } catch (ObjectNotFoundException e) {
      outcome = "absent";
      throw e;
    } catch (RuntimeException e) {
      errors(operation).increment();
      throw e;
    } finally {
      Timer.builder("lifeboat.storage.operation")
          .description("Storage operations, by location, operation and outcome")
          .tag("location", location)
          .tag("operation", operation)
          .tag("outcome", outcome)
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    boolean stored = timed("put", () -> inner.putIfAbsent(name, data));
    if (stored) {
      written.increment(data.length);
    }
    return stored;
  }

  @Override
  public byte[] get(String name) {
    byte[] data = timed("get", () -> inner.get(name));
    read.increment(data.length);
    return data;
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    byte[] data = timed("get", () -> inner.get(name, offset, length));
    read.increment(data.length);
    return data;
  }

  @Override
  public OptionalLong size(String name) {
    return timed("stat", () -> inner.size(name));
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    timed(
        "list",
        () -> {
          inner.list(prefix, each);
          return null;
        });
  }

  @Override
  public boolean delete(String name) {
    return timed("delete", () -> inner.delete(name));
  }
}
