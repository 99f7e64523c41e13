package io.lifeboat.storage.s3;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes a whole object: a PutObject, or above the location's multipart threshold a multipart
 * upload. A conditional write carries {@code If-None-Match: *}, so the server decides whether the
 * key is free; an unconditional one is for callers that looked first. Every new object gets the
 * location's storage class, encryption and Object Lock retention.
 */
final class S3Writer {

  private final S3Client s3;
  private final S3Location loc;
  private final S3Conflicts conflicts;
  private final S3MultipartUpload multipart;

  S3Writer(S3Client s3, S3Location loc, S3Heads heads) {
    this.s3 = s3;
    this.loc = loc;
    this.conflicts = new S3Conflicts(heads);
    this.multipart = new S3MultipartUpload(s3, loc, heads, conflicts);
  }

  /** True when the object was written, false when the key turned out to exist. */
  boolean write(String key, byte[] data, boolean conditional) {
    if (data.length > loc.multipartThreshold()) {
      return multipart.upload(key, data, conditional);
    }
    return conflicts.write(
        key,
        () ->
            s3.putObject(
                putRequest(key, data, conditional), S3Requests.body(data, 0, data.length)));
  }

  private PutObjectRequest putRequest(String key, byte[] data, boolean conditional) {
    PutObjectRequest.Builder r =
        PutObjectRequest.builder()
            .bucket(loc.bucket())
            .key(key)
            .contentLength((long) data.length)
            .contentType("application/octet-stream")
            .contentMD5(S3Requests.md5(data, 0, data.length));
    if (conditional) {
      r.ifNoneMatch("*");
    }
    loc.storageClass().ifPresent(r::storageClass);
    loc.sse().ifPresent(r::serverSideEncryption);
    loc.kmsKeyId().ifPresent(r::ssekmsKeyId);
    loc.objectLockMode()
        .ifPresent(m -> r.objectLockMode(m).objectLockRetainUntilDate(S3Requests.retainUntil(loc)));
    return r.build();
  }
}
