package io.lifeboat.core.storage.local;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.ObjectNames;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A repository in a local folder: one file per object, name segments as sub-folders. Writes go to a
 * hidden temp file that is synced and then hard-linked into place, so an object appears whole or
 * not at all and put-if-absent is atomic (link(2) fails if the name exists).
 */
public final class LocalBackend implements Backend {

  private final Path root;
  private final boolean fsync;

  public LocalBackend(Path root, boolean fsync) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.fsync = fsync;
  }

  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return root.toUri().toString();
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    Path target = pathOf(name);
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (fsync) {
          ch.force(false);
        }
      }
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        return moveIfAbsent(tmp, target);
      }
    } catch (IOException e) {
      throw classify("cannot write " + name, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover hidden temp file is never listed and is harmless
        }
      }
    }
  }

  private static boolean moveIfAbsent(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  @Override
  public byte[] get(String name) {
    try {
      return Files.readAllBytes(pathOf(name));
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(location(), name);
    } catch (IOException e) {
      throw classify("cannot read " + name, e);
    }
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw StorageException.permanent("invalid range " + offset + "+" + length, null);
    }
    try (FileChannel ch = FileChannel.open(pathOf(name), StandardOpenOption.READ)) {
      if (offset + length > ch.size()) {
        throw StorageException.permanent(
            "short read of "
                + name
                + ": wanted "
                + length
                + " bytes at "
                + offset
                + ", object has "
                + ch.size(),
            null);
      }
      ByteBuffer buf = ByteBuffer.allocate(length);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          throw StorageException.permanent("short read of " + name, null);
        }
      }
      return buf.array();
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(location(), name);
    } catch (IOException e) {
      throw classify("cannot read " + name, e);
    }
  }

  @Override
  public OptionalLong size(String name) {
    Path p = pathOf(name);
    try {
      return OptionalLong.of(Files.size(p));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw classify("cannot stat " + name, e);
    }
  }

  /** Size, change time and file identity: any rewrite or replacement changes one of them. */
  @Override
  public java.util.Optional<String> version(String name) {
    Path p = pathOf(name);
    try {
      java.util.Map<String, Object> a = Files.readAttributes(p, "unix:size,ctime,ino,dev");
      // the values are the attributes' toString(): size, an ISO time, numbers
      return java.util.Optional.of(
          a.get("size") + "/" + a.get("ctime") + "/" + a.get("dev") + ":" + a.get("ino"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return java.util.Optional.empty(); // no unix view on this file system
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw classify("cannot stat " + name, e);
    }
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    ObjectNames.checkPrefix(prefix);
    int cut = prefix.lastIndexOf('/');
    Path start = cut < 0 ? root : root.resolve(prefix.substring(0, cut));
    if (!Files.isDirectory(start)) {
      return;
    }
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(Files::isRegularFile)
          .forEach(
              p -> {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (name.startsWith(prefix)) {
                  try {
                    each.accept(new ObjectInfo(name, Files.size(p)));
                  } catch (NoSuchFileException gone) {
                    // deleted while listing: not there any more
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
    } catch (IOException | UncheckedIOException e) {
      throw StorageException.transientFault("cannot list " + prefix + " in " + location(), e);
    }
  }

  @Override
  public boolean delete(String name) {
    try {
      return Files.deleteIfExists(pathOf(name));
    } catch (IOException e) {
      throw classify("cannot delete " + name, e);
    }
  }

  private Path pathOf(String name) {
    return root.resolve(ObjectNames.check(name));
  }

  private StorageException classify(String what, IOException e) {
    if (String.valueOf(e.getMessage()).contains("No space left on device")
        || String.valueOf(e.getMessage()).contains("Disk quota exceeded")) {
      return StorageException.full(
          what + " in " + location() + ": the storage is full (" + e.getMessage() + ")", e);
    }
    boolean permanent = e instanceof AccessDeniedException;
    return new StorageException(what + " in " + location() + ": " + e, e, permanent);
  }

  @Override
  public String toString() {
    return "LocalBackend[" + root + "]";
  }
}
