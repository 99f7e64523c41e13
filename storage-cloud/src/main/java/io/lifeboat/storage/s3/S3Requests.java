package io.lifeboat.storage.s3;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What every write request carries, for a single PUT, each part of a multipart upload and the probe
 * alike: the bytes as a body, their Content-MD5 (so the server rejects a body damaged on the way),
 * and the Object Lock retention date of a new object.
 */
final class S3Requests {

  private S3Requests() {}

  /** {@code len} bytes of {@code data} from {@code from}, re-readable for the SDK's retries. */
  static RequestBody body(byte[] data, int from, int len) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(data, from, len), len, "application/octet-stream");
  }

  /** The Content-MD5 header value of those bytes. */
  static String md5(byte[] data, int from, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(data, from, len);
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Now plus the location's Object Lock days, to the second. */
  static Instant retainUntil(S3Location loc) {
    return Instant.now()
        .plus(loc.objectLockDays(), ChronoUnit.DAYS)
        .truncatedTo(ChronoUnit.SECONDS);
  }
}
