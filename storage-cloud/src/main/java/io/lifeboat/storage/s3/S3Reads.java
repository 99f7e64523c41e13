package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.Ranges;
import io.lifeboat.core.storage.StorageException;
import java.util.Arrays;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * GetObject, whole or a byte range. A missing key is an {@link ObjectNotFoundException}, a range
 * the object does not hold a permanent short read; a server that ignores Range and sends the whole
 * object is answered from it.
 */
final class S3Reads {

  private final S3Client s3;
  private final S3Location loc;
  private final S3Errors errors;
  private final String display;

  S3Reads(S3Client s3, S3Location loc, S3Errors errors) {
    this.s3 = s3;
    this.loc = loc;
    this.errors = errors;
    this.display = loc.display();
  }

  /** The object {@code name} at {@code key}. */
  byte[] all(String name, String key) {
    try {
      return s3.getObjectAsBytes(g -> g.bucket(loc.bucket()).key(key)).asByteArrayUnsafe();
    } catch (SdkException e) {
      throw failed(name, e);
    }
  }

  /**
   * {@code length} (at least 1) bytes at {@code offset} of the object {@code name} at {@code key}.
   */
  byte[] range(String name, String key, long offset, int length) {
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
        return Arrays.copyOfRange(b, (int) offset, (int) offset + length);
      }
      if (b.length != length) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      return b;
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      throw failed(name, e);
    } catch (SdkException e) {
      throw failed(name, e);
    }
  }

  private StorageException failed(String name, SdkException e) {
    if (e instanceof S3Exception && S3Errors.isNoSuchKey((S3Exception) e)) {
      return new ObjectNotFoundException(display, name);
    }
    return errors.classify("read", name, e);
  }
}
