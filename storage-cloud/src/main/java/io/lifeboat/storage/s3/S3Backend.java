package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.Ranges;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.common.CloudBackend;
import io.lifeboat.storage.common.Pages;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository in an S3 bucket (AWS or an S3-compatible server such as MinIO or s3proxy), one
 * object per name under the location's key prefix.
 *
 * <p><b>putIfAbsent.</b> Where the server enforces conditional writes (AWS S3 since 2024, recent
 * MinIO), a write is a {@code PutObject} — above the multipart threshold a {@code
 * CompleteMultipartUpload} — with {@code If-None-Match: *}: the server refuses it with 412 when the
 * key exists, so of racing writers anywhere at most one wins and an existing object is never
 * replaced. A 409 {@code ConditionalRequestConflict} (another upload of the key in flight) is
 * settled by looking again: false once the object is there, a retry otherwise.
 *
 * <p>Some servers accept the header and ignore it: <b>s3proxy 2.6.0 does</b> (a second conditional
 * PUT of a key returns 200 and replaces the object). Such a server cannot be told apart from its
 * answers to real writes, so by default ({@code conditionalWrites=auto}) the first write probes,
 * once per server and bucket in a JVM: it writes a hidden probe key (a name no object can have)
 * twice with {@code If-None-Match: *}, and deletes it. If the second write succeeds, or the server
 * answers {@code NotImplemented}, every write becomes HEAD-then-PUT, serialized per key within this
 * JVM. The guarantee is then weaker, and only that: an object seen to exist is never rewritten, and
 * writers in one JVM on one name have exactly one winner; <b>writers in different processes racing
 * on a new name may both return true, and the later bytes stay</b> (harmless for content-addressed
 * chunks, whose bytes are equal). {@code conditionalWrites=true|false} in the location skips the
 * probe.
 *
 * <p>Multipart uploads always look first (a HEAD is cheap next to uploading a large object again)
 * and abort the upload on any failure; an unfinished upload is never visible to readers.
 *
 * <p>Every write carries Content-MD5, so the server rejects a body damaged on the way; the SDK's
 * own flexible checksums are only sent when an operation requires them ({@code WHEN_REQUIRED}),
 * because S3-compatible servers reject the newer headers. Object Lock options put a retention date
 * of now plus the configured days on every new object.
 *
 * <p>The jobs are in package-private classes: {@code S3Clients} builds the client, {@code
 * S3ConditionalWrites} probes the server, {@code S3Writer} and {@code S3MultipartUpload} write,
 * {@code S3Reads} reads, {@code S3Heads} tells absent objects from a missing bucket and {@code
 * S3Errors} turns SDK failures into {@link StorageException}s.
 *
 * <p>Credentials come only from the SDK's default provider chain (environment, system properties
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey}, profiles, container and instance roles);
 * messages name the bucket and server, never a credential.
 */
public final class S3Backend extends CloudBackend {

  /** Per-key locks for HEAD-then-PUT, shared by all backends of the JVM. */
  private static final Object[] STRIPES = new Object[256];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  private final S3Location loc;
  private final S3Client s3;
  private final S3Errors errors;
  private final S3Heads heads;
  private final S3Reads reads;
  private final S3Writer writer;
  private final S3ConditionalWrites conditionalWrites;

  public S3Backend(S3Location location) {
    this(location, b -> {});
  }

  /**
   * With a hook on the client builder, applied last: tests add an execution interceptor, callers
   * may tune timeouts or retries. It must not set credentials other than through the provider chain
   * in production code.
   */
  public S3Backend(S3Location location, Consumer<S3ClientBuilder> customizer) {
    super(Objects.requireNonNull(location, "location").display(), location.prefix());
    this.loc = location;
    this.s3 = S3Clients.build(location, customizer);
    this.errors = new S3Errors(location);
    this.heads = new S3Heads(s3, location, errors);
    this.reads = new S3Reads(s3, location, errors);
    this.writer = new S3Writer(s3, location, heads);
    this.conditionalWrites = S3ConditionalWrites.of(location);
  }

  public S3Location s3Location() {
    return loc;
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    String key = keys.key(name);
    Objects.requireNonNull(data, "data");
    try {
      if (conditionalWritesEnforced()) {
        return writer.write(key, data, true);
      }
      synchronized (STRIPES[Math.floorMod((loc.bucket() + "/" + key).hashCode(), STRIPES.length)]) {
        return heads.size(key).isEmpty() && writer.write(key, data, false);
      }
    } catch (SdkException e) {
      throw errors.classify("write", name, e);
    }
  }

  /**
   * Whether writes can rely on the server refusing {@code If-None-Match: *} for an existing key:
   * from the location, or probed on first use (see class comment).
   */
  public boolean conditionalWritesEnforced() {
    if (loc.conditionalWrites().isPresent()) {
      return loc.conditionalWrites().get();
    }
    try {
      return conditionalWrites.enforced(s3, loc);
    } catch (SdkException e) {
      throw errors.classify("probe conditional writes", null, e);
    }
  }

  @Override
  public byte[] get(String name) {
    return reads.all(name, keys.key(name));
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    String key = keys.key(name);
    Optional<byte[]> trivial = Ranges.trivial(this, name, offset, length);
    if (trivial.isPresent()) {
      return trivial.get();
    }
    return reads.range(name, key, offset, length);
  }

  @Override
  public OptionalLong size(String name) {
    String key = keys.key(name);
    try {
      return heads.size(key);
    } catch (SdkException e) {
      throw errors.classify("stat", name, e);
    }
  }

  @Override
  public java.util.Optional<String> version(String name) {
    String key = keys.key(name);
    try {
      return heads.etag(key);
    } catch (SdkException e) {
      throw errors.classify("stat", name, e);
    }
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    String keyPrefix = keys.listing(prefix);
    Pages.forEach(
        () -> s3.listObjectsV2Paginator(l -> l.bucket(loc.bucket()).prefix(keyPrefix)).iterator(),
        SdkException.class,
        e -> errors.classify("list " + prefix, null, e),
        page -> {
          heads.bucketSeen();
          for (S3Object o : page.contents()) {
            keys.name(o.key()).ifPresent(name -> each.accept(new ObjectInfo(name, o.size())));
          }
        });
  }

  @Override
  public boolean delete(String name) {
    String key = keys.key(name);
    try {
      if (heads.size(key).isEmpty()) {
        return false;
      }
      s3.deleteObject(d -> d.bucket(loc.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      throw errors.classify("delete", name, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
