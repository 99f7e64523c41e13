package io.lifeboat.storage.s3;

import java.util.OptionalLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * HEAD requests in one location's bucket. A HEAD 404 has no error code, so it cannot say whether
 * the object or the bucket is missing: the first absent object is followed by one HEAD of the
 * bucket, and a missing bucket is a permanent error instead of an absent object.
 */
final class S3Heads {

  private final S3Client s3;
  private final S3Location loc;
  private final S3Errors errors;
  private volatile boolean bucketSeen;

  S3Heads(S3Client s3, S3Location loc, S3Errors errors) {
    this.s3 = s3;
    this.loc = loc;
    this.errors = errors;
  }

  /** The size of the object at {@code key}; empty when it is absent and the bucket exists. */
  OptionalLong size(String key) {
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

  /** The object's ETag; empty when it is absent. */
  java.util.Optional<String> etag(String key) {
    try {
      return java.util.Optional.ofNullable(
          s3.headObject(h -> h.bucket(loc.bucket()).key(key)).eTag());
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      return java.util.Optional.empty();
    }
  }

  /** Another request (a listing) has shown that the bucket exists. */
  void bucketSeen() {
    bucketSeen = true;
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
        throw errors.noSuchBucket(e);
      }
      if (e.statusCode() == 403) {
        bucketSeen = true; // may read objects without s3:ListBucket; the HEAD before was allowed
        return;
      }
      throw e;
    }
  }
}
