package io.lifeboat.core.storage.mem;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.ObjectNames;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.StorageException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Objects in memory: for tests and dry runs. Same contract as every backend. */
public final class MemBackend implements Backend {

  private final String name;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

  public MemBackend(String name) {
    this.name = name;
  }

  @Override
  public String location() {
    return "mem:" + name;
  }

  @Override
  public boolean putIfAbsent(String objectName, byte[] data) {
    return objects.putIfAbsent(ObjectNames.check(objectName), data.clone()) == null;
  }

  @Override
  public byte[] get(String objectName) {
    byte[] data = objects.get(ObjectNames.check(objectName));
    if (data == null) {
      throw new ObjectNotFoundException(location(), objectName);
    }
    return data.clone();
  }

  @Override
  public byte[] get(String objectName, long offset, int length) {
    byte[] data = get(objectName);
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw StorageException.permanent(
          "short read of "
              + objectName
              + ": wanted "
              + length
              + " bytes at "
              + offset
              + ", object has "
              + data.length,
          null);
    }
    return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
  }

  @Override
  public OptionalLong size(String objectName) {
    byte[] data = objects.get(ObjectNames.check(objectName));
    return data == null ? OptionalLong.empty() : OptionalLong.of(data.length);
  }

  /** The identity of the stored array: {@link #tamper} and a rewrite replace it. */
  @Override
  public java.util.Optional<String> version(String objectName) {
    byte[] data = objects.get(ObjectNames.check(objectName));
    return data == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(data.length + "/" + System.identityHashCode(data));
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    ObjectNames.checkPrefix(prefix);
    List<Map.Entry<String, byte[]>> snapshot = List.copyOf(objects.entrySet());
    for (Map.Entry<String, byte[]> e : snapshot) {
      if (e.getKey().startsWith(prefix)) {
        each.accept(new ObjectInfo(e.getKey(), e.getValue().length));
      }
    }
  }

  @Override
  public boolean delete(String objectName) {
    return objects.remove(ObjectNames.check(objectName)) != null;
  }

  /** Replaces an object's bytes behind the contract's back: for damage tests only. */
  public void tamper(String objectName, byte[] data) {
    objects.put(ObjectNames.check(objectName), data.clone());
  }
}
