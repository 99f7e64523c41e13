package io.lifeboat.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A read-only view over copies of one repository in several locations (primary first): each read
 * goes to the first location that answers, and an object missing in one location is looked for in
 * the next. Restore and verify use it, so with the primary down a restore from a replica just
 * works; {@code notices} hears about every location given up on, so the user is told.
 */
public final class FailoverBackend implements Backend {

  private final List<Backend> locations;
  private final Consumer<String> notices;
  private volatile int preferred;

  public FailoverBackend(List<Backend> locations, Consumer<String> notices) {
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("no locations");
    }
    this.locations = List.copyOf(locations);
    this.notices = Objects.requireNonNull(notices, "notices");
  }

  @Override
  public String location() {
    return locations.get(preferred).location();
  }

  /** The location reads currently go to. */
  public Backend current() {
    return locations.get(preferred);
  }

  private <T> T read(String what, Function<Backend, T> op) {
    StorageException last = null;
    ObjectNotFoundException notFound = null;
    for (int k = 0; k < locations.size(); k++) {
      int i = (preferred + k) % locations.size();
      Backend b = locations.get(i);
      try {
        T result = op.apply(b);
        if (i != preferred && last != null) {
          notices.accept(
              "reading from "
                  + b.location()
                  + " instead of "
                  + locations.get(preferred).location()
                  + " ("
                  + last.getMessage()
                  + ")");
          preferred = i;
        }
        return result;
      } catch (ObjectNotFoundException e) {
        notFound = notFound == null ? e : notFound;
      } catch (StorageException e) {
        last = e;
      }
    }
    if (notFound != null) {
      throw notFound;
    }
    throw last;
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    throw StorageException.permanent("a failover view is read-only (writing " + name + ")", null);
  }

  @Override
  public byte[] get(String name) {
    return read("get " + name, b -> b.get(name));
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    return read("get " + name, b -> b.get(name, offset, length));
  }

  @Override
  public OptionalLong size(String name) {
    List<StorageException> failures = new ArrayList<>();
    for (int k = 0; k < locations.size(); k++) {
      Backend b = locations.get((preferred + k) % locations.size());
      try {
        OptionalLong s = b.size(name);
        if (s.isPresent()) {
          return s;
        }
      } catch (StorageException e) {
        failures.add(e);
      }
    }
    if (failures.size() == locations.size()) {
      throw failures.get(failures.size() - 1);
    }
    return OptionalLong.empty();
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    List<ObjectInfo> all =
        read(
            "list " + prefix,
            b -> {
              List<ObjectInfo> seen = new ArrayList<>();
              b.list(prefix, seen::add);
              return seen;
            });
    all.forEach(each);
  }

  @Override
  public boolean delete(String name) {
    throw StorageException.permanent("a failover view is read-only (deleting " + name + ")", null);
  }

  @Override
  public void close() {
    locations.forEach(Backend::close);
  }
}
