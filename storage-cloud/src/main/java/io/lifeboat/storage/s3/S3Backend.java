package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.ObjectNames;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.Ranges;
import io.lifeboat.core.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A repository in an S3 bucket (AWS or an S3-compatible server such as MinIO or s3proxy), one
 * object per name under the location's key prefix.
 *
 * <p><b>putIfAbsent.</b> Where the server enforces conditional writes (AWS S3 since 2024, recent
 * MinIO), a write is a {@code PutObject} — above the multipart threshold a
 * {@code CompleteMultipartUpload} — with {@code If-None-Match: *}: the server refuses it with 412
 * when the key exists, so of racing writers anywhere at most one wins and an existing object is
 * never replaced. A 409 {@code ConditionalRequestConflict} (another upload of the key in flight)
 * is settled by looking again: false once the object is there, a retry otherwise.
 *
 * <p>Some servers accept the header and ignore it: <b>s3proxy 2.6.0 does</b> (a second conditional
 * PUT of a key returns 200 and replaces the object). Such a server cannot be told apart from its
 * answers to real writes, so by default ({@code conditionalWrites=auto}) the first write probes,
 * once per server and bucket in a JVM: it writes a hidden probe key (a name no object can have)
 * twice with {@code If-None-Match: *}, and deletes it. If the second write succeeds, or the server answers
 * {@code NotImplemented}, every write becomes HEAD-then-PUT, serialized per key within this JVM.
 * The guarantee is then weaker, and only that: an object seen to exist is never rewritten, and
 * writers in one JVM on one name have exactly one winner; <b>writers in different processes
 * racing on a new name may both return true, and the later bytes stay</b> (harmless for
 * content-addressed chunks, whose bytes are equal). {@code conditionalWrites=true|false} in the
 * location skips the probe.
 *
 * <p>Multipart uploads always look first (a HEAD is cheap next to uploading a large object again)
 * and abort the upload on any failure; an unfinished upload is never visible to readers.
 *
 * <p>Every write carries Content-MD5, so the server rejects a body damaged on the way; the SDK's
 * own flexible checksums are only sent when an operation requires them ({@code WHEN_REQUIRED}),
 * because S3-compatible servers reject the newer headers. Object Lock options put a retention
 * date of now plus the configured days on every new object.
 *
 * <p>Credentials come only from the SDK's default provider chain (environment, system properties
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey}, profiles, container and instance roles);
 * messages name the bucket and server, never a credential.
 */
public final class S3Backend implements Backend {

  private static final Set<String> AUTH_CODES =
      Set.of(
          "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
          "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled", "AccountProblem",
          "InvalidSecurity", "NotSignedUp", "AuthorizationHeaderMalformed");
  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestLimitExceeded",
          "TooManyRequests", "OperationAborted", "InternalError", "ServiceUnavailable");

  private final S3Location loc;
  private final S3Client s3;
  private final String display;
  private volatile boolean bucketSeen;
  /** Whether the server enforces If-None-Match; null until known (see class comment). */
  private volatile Boolean conditional;

  private static final Logger LOG = LoggerFactory.getLogger(S3Backend.class);
  /** Probe results per server and bucket, so each is probed once per JVM. */
  private static final Map<String, Boolean> PROBED = new ConcurrentHashMap<>();
  /** Per-key locks for HEAD-then-PUT, shared by all backends of the JVM. */
  private static final Object[] STRIPES = new Object[256];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  public S3Backend(S3Location location) {
    this(location, b -> {});
  }

  /**
   * With a hook on the client builder, applied last: tests add an execution interceptor, callers
   * may tune timeouts or retries. It must not set credentials other than through the provider
   * chain in production code.
   */
  public S3Backend(S3Location location, Consumer<S3ClientBuilder> customizer) {
    this.loc = Objects.requireNonNull(location, "location");
    this.display = location.display();
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(64)
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .forcePathStyle(location.pathStyle());
    location.endpoint().ifPresent(b::endpointOverride);
    if (location.region().isPresent()) {
      b.region(Region.of(location.region().get()));
    } else if (location.endpoint().isPresent()) {
      b.region(Region.US_EAST_1); // S3-compatible servers ignore it, but the signature needs one
    } else {
      b.region(defaultRegion()).crossRegionAccessEnabled(true);
    }
    customizer.accept(b);
    this.s3 = b.build();
  }

  private static Region defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException none) {
      return Region.US_EAST_1; // with cross-region access the bucket's own region is found
    }
  }

  public S3Location s3Location() {
    return loc;
  }

  @Override
  public String location() {
    return display;
  }

  // ---- writes ----

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    String key = key(name);
    Objects.requireNonNull(data, "data");
    try {
      if (conditionalWritesEnforced()) {
        return write(name, key, data, true);
      }
      synchronized (STRIPES[Math.floorMod((loc.bucket() + "/" + key).hashCode(), STRIPES.length)]) {
        return head(name, key).isEmpty() && write(name, key, data, false);
      }
    } catch (SdkException e) {
      throw classify("write", name, e);
    }
  }

  /**
   * Whether writes can rely on the server refusing {@code If-None-Match: *} for an existing key:
   * from the location, or probed on first use (see class comment).
   */
  public boolean conditionalWritesEnforced() {
    Boolean c = conditional;
    if (c != null) {
      return c;
    }
    if (loc.conditionalWrites().isPresent()) {
      conditional = loc.conditionalWrites().get();
      return conditional;
    }
    String server = loc.server() + " bucket " + loc.bucket();
    Boolean known = PROBED.get(server);
    if (known == null) {
      synchronized (PROBED) {
        known = PROBED.get(server);
        if (known == null) {
          try {
            known = probe();
          } catch (SdkException e) {
            throw classify("probe conditional writes", null, e);
          }
          PROBED.put(server, known);
          if (!known) {
            LOG.warn(
                "{} does not enforce If-None-Match; putIfAbsent falls back to HEAD-then-PUT"
                    + " (writers in different processes racing on one new name may both succeed)",
                server);
          }
        }
      }
    }
    conditional = known;
    return known;
  }

  private boolean probe() {
    String key = loc.prefix() + ".lifeboat-probe-" + UUID.randomUUID();
    byte[] empty = new byte[0];
    try {
      s3.putObject(probeRequest(key), body(empty, 0, 0));
      try {
        s3.putObject(probeRequest(key), body(empty, 0, 0));
        return false;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return true;
        }
        throw e;
      }
    } catch (S3Exception e) {
      if ("NotImplemented".equals(code(e)) || e.statusCode() == 501) {
        return false;
      }
      throw e;
    } finally {
      try {
        s3.deleteObject(d -> d.bucket(loc.bucket()).key(key));
      } catch (SdkException ignored) {
        // a leftover probe is empty and never listed (its name is not a valid object name)
      }
    }
  }

  private PutObjectRequest probeRequest(String key) {
    return PutObjectRequest.builder()
        .bucket(loc.bucket())
        .key(key)
        .contentLength(0L)
        .contentMD5(md5(new byte[0], 0, 0))
        .ifNoneMatch("*")
        .build();
  }

  /** One write; with {@code conditional} the server decides whether the key is free. */
  private boolean write(String name, String key, byte[] data, boolean conditional) {
    if (data.length > loc.multipartThreshold()) {
      return putMultipart(name, key, data, conditional);
    }
    for (int attempt = 0; ; attempt++) {
      try {
        s3.putObject(putRequest(key, data, conditional), body(data, 0, data.length));
        return true;
      } catch (S3Exception e) {
        if (alreadyThere(e)) {
          return false;
        }
        Conflict c = afterConflict(e, name, key, attempt);
        if (c == Conflict.EXISTS) {
          return false;
        }
        if (c == Conflict.FAIL) {
          throw e;
        }
      }
    }
  }

  private PutObjectRequest putRequest(String key, byte[] data, boolean conditional) {
    PutObjectRequest.Builder r =
        PutObjectRequest.builder()
            .bucket(loc.bucket())
            .key(key)
            .contentLength((long) data.length)
            .contentType("application/octet-stream")
            .contentMD5(md5(data, 0, data.length));
    if (conditional) {
      r.ifNoneMatch("*");
    }
    loc.storageClass().ifPresent(r::storageClass);
    loc.sse().ifPresent(r::serverSideEncryption);
    loc.kmsKeyId().ifPresent(r::ssekmsKeyId);
    loc.objectLockMode().ifPresent(m -> r.objectLockMode(m).objectLockRetainUntilDate(retainUntil()));
    return r.build();
  }

  private boolean putMultipart(String name, String key, byte[] data, boolean conditional) {
    if (head(name, key).isPresent()) {
      return false;
    }
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(loc.bucket())
            .key(key)
            .contentType("application/octet-stream");
    loc.storageClass().ifPresent(create::storageClass);
    loc.sse().ifPresent(create::serverSideEncryption);
    loc.kmsKeyId().ifPresent(create::ssekmsKeyId);
    loc.objectLockMode().ifPresent(m -> create.objectLockMode(m).objectLockRetainUntilDate(retainUntil()));
    String uploadId = s3.createMultipartUpload(create.build()).uploadId();
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long partSize = Math.max(S3Location.MIN_PART, loc.multipartThreshold());
      int number = 1;
      for (long off = 0; off < data.length; off += partSize, number++) {
        int from = (int) off;
        int len = (int) Math.min(partSize, data.length - off);
        int partNumber = number;
        UploadPartResponse r =
            s3.uploadPart(
                u ->
                    u.bucket(loc.bucket())
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) len)
                        .contentMD5(md5(data, from, len)),
                body(data, from, len));
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build());
      }
      for (int attempt = 0; ; attempt++) {
        CompleteMultipartUploadRequest.Builder done =
            CompleteMultipartUploadRequest.builder()
                .bucket(loc.bucket())
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts));
        if (conditional) {
          done.ifNoneMatch("*");
        }
        try {
          s3.completeMultipartUpload(done.build());
          completed = true;
          return true;
        } catch (S3Exception e) {
          if (alreadyThere(e)) {
            return false;
          }
          Conflict c = afterConflict(e, name, key, attempt);
          if (c == Conflict.EXISTS) {
            return false;
          }
          if (c == Conflict.FAIL) {
            throw e;
          }
        }
      }
    } finally {
      if (!completed) {
        abortQuietly(key, uploadId);
      }
    }
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(a -> a.bucket(loc.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // the write already failed; a leftover upload is invisible and a lifecycle rule can expire it
    }
  }

  /** 412 Precondition Failed: the key exists. */
  private static boolean alreadyThere(S3Exception e) {
    return e.statusCode() == 412;
  }

  private enum Conflict {
    RETRY,
    EXISTS,
    FAIL
  }

  /**
   * After a failed conditional write that was not a 412: a 409 ConditionalRequestConflict means
   * another write of the key is in flight, so look again — EXISTS once the other writer finished,
   * else RETRY a few times. Anything else is a FAIL for the caller to classify.
   */
  private Conflict afterConflict(S3Exception e, String name, String key, int attempt) {
    if (e.statusCode() != 409 || !"ConditionalRequestConflict".equals(code(e)) || attempt >= 4) {
      return Conflict.FAIL;
    }
    if (head(name, key).isPresent()) {
      return Conflict.EXISTS;
    }
    sleep(50L << attempt);
    return Conflict.RETRY;
  }

  private Instant retainUntil() {
    return Instant.now().plus(loc.objectLockDays(), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  }

  // ---- reads ----

  @Override
  public byte[] get(String name) {
    String key = key(name);
    try {
      return s3.getObjectAsBytes(g -> g.bucket(loc.bucket()).key(key)).asByteArrayUnsafe();
    } catch (S3Exception e) {
      if (isNoSuchKey(e)) {
        throw new ObjectNotFoundException(display, name);
      }
      throw classify("read", name, e);
    } catch (SdkException e) {
      throw classify("read", name, e);
    }
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    String key = key(name);
    Optional<byte[]> trivial = Ranges.trivial(this, name, offset, length);
    if (trivial.isPresent()) {
      return trivial.get();
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      ResponseBytes<GetObjectResponse> r =
          s3.getObjectAsBytes(g -> g.bucket(loc.bucket()).key(key).range(range));
      byte[] b = r.asByteArrayUnsafe();
      if (r.response().contentRange() == null) {
        // the server ignored Range and sent the whole object
        if (offset + length > b.length) {
          throw Ranges.pastEnd(display, name, offset, length, b.length);
        }
        return java.util.Arrays.copyOfRange(b, (int) offset, (int) offset + length);
      }
      if (b.length != length) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      return b;
    } catch (S3Exception e) {
      if (isNoSuchKey(e)) {
        throw new ObjectNotFoundException(display, name);
      }
      if (e.statusCode() == 416) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      throw classify("read", name, e);
    } catch (SdkException e) {
      throw classify("read", name, e);
    }
  }


  @Override
  public OptionalLong size(String name) {
    String key = key(name);
    try {
      return head(name, key);
    } catch (SdkException e) {
      throw classify("stat", name, e);
    }
  }

  /** HEAD; a 404 is "absent" once the bucket is known to exist (a HEAD 404 has no error code). */
  private OptionalLong head(String name, String key) {
    try {
      return OptionalLong.of(s3.headObject(h -> h.bucket(loc.bucket()).key(key)).contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      ensureBucket();
      return OptionalLong.empty();
    }
  }

  private void ensureBucket() {
    if (bucketSeen) {
      return;
    }
    try {
      s3.headBucket(h -> h.bucket(loc.bucket()));
      bucketSeen = true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw noSuchBucket(e);
      }
      if (e.statusCode() == 403) {
        bucketSeen = true; // may read objects without s3:ListBucket; the HEAD before was allowed
        return;
      }
      throw e;
    }
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    ObjectNames.checkPrefix(prefix);
    String base = loc.prefix();
    Iterator<ListObjectsV2Response> pages;
    try {
      pages = s3.listObjectsV2Paginator(l -> l.bucket(loc.bucket()).prefix(base + prefix)).iterator();
    } catch (SdkException e) {
      throw classify("list " + prefix, null, e);
    }
    while (true) {
      ListObjectsV2Response page;
      try {
        if (!pages.hasNext()) {
          return;
        }
        page = pages.next();
      } catch (SdkException e) {
        throw classify("list " + prefix, null, e);
      }
      bucketSeen = true;
      for (S3Object o : page.contents()) {
        String name = o.key().substring(base.length());
        if (isObjectName(name)) {
          each.accept(new ObjectInfo(name, o.size()));
        }
      }
    }
  }

  /** Keys that no name maps to (folder markers, foreign files) are not objects of this repository. */
  private static boolean isObjectName(String name) {
    try {
      ObjectNames.check(name);
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  @Override
  public boolean delete(String name) {
    String key = key(name);
    try {
      if (head(name, key).isEmpty()) {
        return false;
      }
      s3.deleteObject(d -> d.bucket(loc.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      throw classify("delete", name, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "S3Backend[" + display + "]";
  }

  // ---- helpers ----

  private String key(String name) {
    return loc.prefix() + ObjectNames.check(name);
  }

  private static RequestBody body(byte[] data, int from, int len) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(data, from, len), len, "application/octet-stream");
  }

  private static String md5(byte[] data, int from, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(data, from, len);
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isNoSuchKey(S3Exception e) {
    return e.statusCode() == 404 && !"NoSuchBucket".equals(code(e));
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StorageException.transientFault("interrupted", e);
    }
  }

  private StorageException noSuchBucket(Throwable cause) {
    return StorageException.permanent(
        "bucket " + loc.bucket() + " does not exist in " + loc.server(), cause);
  }

  /**
   * Maps an SDK failure to permanent (retrying cannot help: missing bucket, credentials, a bad
   * request) or transient (network, 5xx, throttling). Messages name the operation, the bucket and
   * the server, and the server's error code; never credentials.
   */
  StorageException classify(String action, String name, RuntimeException e) {
    String what = action + (name == null ? "" : " " + name) + " in " + display;
    if (e instanceof StorageException) {
      return (StorageException) e;
    }
    if (e instanceof S3Exception) {
      S3Exception s = (S3Exception) e;
      int status = s.statusCode();
      String code = code(s);
      String said = status + (code == null ? "" : " " + code);
      if ("NoSuchBucket".equals(code)) {
        return noSuchBucket(e);
      }
      if (status == 403 || (code != null && AUTH_CODES.contains(code))) {
        return StorageException.permanent(
            "access denied to s3://" + loc.bucket() + " (check credentials): " + said + " when trying to " + what, e);
      }
      if (status == 301 || "PermanentRedirect".equals(code)) {
        return StorageException.permanent(
            "bucket " + loc.bucket() + " is in another region than the one used; set ?region= in the location", e);
      }
      if (status == 501 || "NotImplemented".equals(code)) {
        return StorageException.permanent(
            what + ": " + loc.server() + " does not implement a feature this request uses (" + said
                + detail(s) + "); with If-None-Match, set conditionalWrites=false in the location",
            e);
      }
      if (status >= 500 || status == 429 || status == 409 || (code != null && TRANSIENT_CODES.contains(code))) {
        return StorageException.transientFault(what + " failed, " + loc.server() + " said " + said, e);
      }
      return StorageException.permanent(what + " rejected by " + loc.server() + ", " + said + detail(s), e);
    }
    if (e instanceof SdkClientException) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Unable to load credentials")) {
        return StorageException.permanent(
            "no AWS credentials found for s3://" + loc.bucket()
                + " (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, aws.accessKeyId/aws.secretAccessKey or a profile)",
            e);
      }
      return StorageException.transientFault(
          "cannot " + what + ": " + loc.server() + " not reachable (" + rootMessage(e) + ")", e);
    }
    return StorageException.transientFault("cannot " + what + ": " + rootMessage(e), e);
  }

  private static String detail(S3Exception s) {
    return s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
        ? ""
        : ": " + s.awsErrorDetails().errorMessage();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
