package io.lifeboat.storage.s3;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whether one server and bucket enforces {@code If-None-Match: *} on writes. Some servers accept
 * the header and ignore it (s3proxy 2.6.0 does), and their answers to real writes cannot tell, so
 * the first write probes: it writes a hidden probe key (a name no object can have) twice with the
 * header and deletes it. If the second write succeeds, or the server answers {@code
 * NotImplemented}, the server does not enforce it.
 *
 * <p>There is one instance per server and bucket, and each holds its own answer: backends are
 * opened independently (each registry makes its own factories), so {@link #of} hands every backend
 * of the JVM on that server and bucket the same instance, and each server and bucket is probed once
 * per JVM, without one lock across all of them.
 */
final class S3ConditionalWrites {

  /** Logged under the backend's name, where the fallback's weaker guarantee is documented. */
  private static final Logger LOG = LoggerFactory.getLogger(S3Backend.class);

  private static final ConcurrentMap<String, S3ConditionalWrites> BY_ENDPOINT =
      new ConcurrentHashMap<>();

  private final String endpoint;

  /** Null until probed. */
  private volatile @Nullable Boolean enforced;

  private S3ConditionalWrites(String endpoint) {
    this.endpoint = endpoint;
  }

  /** The instance for the location's server and bucket. */
  static S3ConditionalWrites of(S3Location loc) {
    return BY_ENDPOINT.computeIfAbsent(
        loc.server() + " bucket " + loc.bucket(), S3ConditionalWrites::new);
  }

  /**
   * Whether the server enforces the header, probed with {@code s3} under the location's prefix the
   * first time. An SDK failure of the probe is thrown, and the next call probes again.
   */
  boolean enforced(S3Client s3, S3Location loc) {
    Boolean known = enforced;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (enforced == null) {
        enforced = probe(s3, loc);
        if (!enforced) {
          LOG.warn(
              "{} does not enforce If-None-Match; putIfAbsent falls back to HEAD-then-PUT"
                  + " (writers in different processes racing on one new name may both succeed)",
              endpoint);
        }
      }
      return enforced;
    }
  }

  private static boolean probe(S3Client s3, S3Location loc) {
    String key = loc.prefix() + ".lifeboat-probe-" + UUID.randomUUID();
    byte[] empty = new byte[0];
    try {
      s3.putObject(probeRequest(loc, key), S3Requests.body(empty, 0, 0));
      try {
        s3.putObject(probeRequest(loc, key), S3Requests.body(empty, 0, 0));
        return false;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return true;
        }
        throw e;
      }
    } catch (S3Exception e) {
      if ("NotImplemented".equals(S3Errors.code(e)) || e.statusCode() == 501) {
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

  private static PutObjectRequest probeRequest(S3Location loc, String key) {
    return PutObjectRequest.builder()
        .bucket(loc.bucket())
        .key(key)
        .contentLength(0L)
        .contentMD5(S3Requests.md5(new byte[0], 0, 0))
        .ifNoneMatch("*")
        .build();
  }
}
