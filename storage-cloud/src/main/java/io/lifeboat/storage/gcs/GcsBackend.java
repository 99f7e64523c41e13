package io.lifeboat.storage.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.Ranges;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.common.CloudBackend;
import io.lifeboat.storage.common.Failures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A repository in a Google Cloud Storage bucket, one object per name under the location's prefix.
 *
 * <p>putIfAbsent is a single-request upload with the precondition {@code ifGenerationMatch=0}
 * ({@link Storage.BlobTargetOption#doesNotExist()}): GCS creates the object whole or not at all and
 * answers 412 when the name exists, so of racing writers at most one wins and an existing object is
 * never replaced. Ranged reads seek a read channel and fail permanently when the object ends before
 * the range does.
 *
 * <p>The {@link Storage} client is given (see {@link GcsBackendFactory} for the default one), so
 * tests can pass an in-memory fake. A missing bucket is told apart from a missing object by one
 * listing, the first time an object is found absent.
 */
public final class GcsBackend extends CloudBackend {

  private final GcsLocation loc;
  private final Storage storage;
  private volatile boolean bucketSeen;

  public GcsBackend(GcsLocation location, Storage storage) {
    super(Objects.requireNonNull(location, "location").display(), location.prefix());
    this.loc = location;
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    BlobId id = id(name);
    Objects.requireNonNull(data, "data");
    try {
      storage.create(
          BlobInfo.newBuilder(id).setContentType("application/octet-stream").build(),
          data,
          Storage.BlobTargetOption.doesNotExist());
      bucketSeen = true;
      return true;
    } catch (BaseServiceException e) {
      if (e.getCode() == 412) {
        return false;
      }
      throw classify("write", name, e);
    }
  }

  @Override
  public byte[] get(String name) {
    BlobId id = id(name);
    try {
      return storage.readAllBytes(id);
    } catch (BaseServiceException e) {
      if (e.getCode() == 404) {
        ensureBucket();
        throw new ObjectNotFoundException(display, name);
      }
      throw classify("read", name, e);
    }
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    BlobId id = id(name);
    Optional<byte[]> trivial = Ranges.trivial(this, name, offset, length);
    if (trivial.isPresent()) {
      return trivial.get();
    }
    ByteBuffer buf = ByteBuffer.allocate(length);
    try (ReadChannel in = storage.reader(id)) {
      in.seek(offset);
      in.limit(offset + length);
      while (buf.hasRemaining()) {
        if (in.read(buf) < 0) {
          throw Ranges.pastEnd(display, name, offset, length, -1);
        }
      }
      return buf.array();
    } catch (IOException e) {
      BaseServiceException cause = Failures.cause(e, BaseServiceException.class);
      if (cause != null && cause.getCode() == 404) {
        throw new ObjectNotFoundException(display, name);
      }
      if (cause != null && cause.getCode() == 416) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      throw cause != null
          ? classify("read", name, cause)
          : StorageException.transientFault("cannot read " + name + " in " + display + ": " + e, e);
    } catch (BaseServiceException e) {
      if (e.getCode() == 404) {
        throw new ObjectNotFoundException(display, name);
      }
      if (e.getCode() == 416) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      throw classify("read", name, e);
    }
  }

  @Override
  public java.util.Optional<String> version(String name) {
    try {
      Blob blob = storage.get(id(name));
      return blob == null
          ? java.util.Optional.empty()
          : java.util.Optional.of(blob.getSize() + "/" + blob.getGeneration());
    } catch (BaseServiceException e) {
      throw classify("stat", name, e);
    }
  }

  @Override
  public OptionalLong size(String name) {
    BlobId id = id(name);
    try {
      Blob blob = storage.get(id);
      if (blob == null) {
        ensureBucket();
        return OptionalLong.empty();
      }
      return OptionalLong.of(blob.getSize());
    } catch (BaseServiceException e) {
      throw classify("stat", name, e);
    }
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    String keyPrefix = keys.listing(prefix);
    Page<Blob> page;
    try {
      page = storage.list(loc.bucket(), Storage.BlobListOption.prefix(keyPrefix));
    } catch (BaseServiceException e) {
      throw classify("list " + prefix, null, e);
    }
    while (page != null) {
      for (Blob b : page.getValues()) {
        if (!b.isDirectory()) {
          keys.name(b.getName()).ifPresent(name -> each.accept(new ObjectInfo(name, b.getSize())));
        }
      }
      try {
        page = page.hasNextPage() ? page.getNextPage() : null;
      } catch (BaseServiceException e) {
        throw classify("list " + prefix, null, e);
      }
    }
  }

  @Override
  public boolean delete(String name) {
    BlobId id = id(name);
    try {
      if (storage.delete(id)) {
        return true;
      }
      ensureBucket();
      return false;
    } catch (BaseServiceException e) {
      throw classify("delete", name, e);
    }
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception ignored) {
      // nothing is buffered: every write was complete when putIfAbsent returned
    }
  }

  private BlobId id(String name) {
    return BlobId.of(loc.bucket(), keys.key(name));
  }

  /** An absent object could be an absent bucket: one listing tells (404 for a missing bucket). */
  private void ensureBucket() {
    if (bucketSeen) {
      return;
    }
    try {
      storage.list(loc.bucket(), Storage.BlobListOption.pageSize(1));
      bucketSeen = true;
    } catch (BaseServiceException e) {
      throw classify("look up bucket", null, e);
    }
  }

  /**
   * Permanent: 404 (here only a missing bucket), 401/403 (credentials, permissions), other 4xx.
   * Transient: 408, 429, 5xx, and anything the client marks retryable or that never reached the
   * service (code 0). Messages name the operation and bucket, never credentials.
   */
  StorageException classify(String action, @Nullable String name, BaseServiceException e) {
    String what = Failures.what(action, name, display);
    int code = e.getCode();
    String said = Failures.said(code, e.getReason());
    if (code == 404) {
      return StorageException.permanent(
          "bucket " + loc.bucket() + " does not exist in Google Cloud Storage", e);
    }
    if (code == 401 || code == 403) {
      return StorageException.permanent(
          "access denied to gs://"
              + loc.bucket()
              + " (check Application Default Credentials): "
              + said
              + " when trying to "
              + what,
          e);
    }
    if (code == 0 || code == 408 || code == 429 || code >= 500 || e.isRetryable()) {
      return StorageException.transientFault(what + " failed: " + said + " " + e.getMessage(), e);
    }
    return StorageException.permanent(
        what + " rejected by Google Cloud Storage, " + said + ": " + e.getMessage(), e);
  }
}
