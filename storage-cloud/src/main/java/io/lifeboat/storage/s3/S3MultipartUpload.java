package io.lifeboat.storage.s3;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes an object above the multipart threshold in parts of that size (at least S3's smallest
 * part), each with its Content-MD5. It always looks first, because a HEAD is cheap next to
 * uploading a large object again; a conditional write puts {@code If-None-Match: *} on the
 * completion. Any failure aborts the upload, so an unfinished upload is never visible to readers.
 */
final class S3MultipartUpload {

  private final S3Client s3;
  private final S3Location loc;
  private final S3Heads heads;
  private final S3Conflicts conflicts;

  S3MultipartUpload(S3Client s3, S3Location loc, S3Heads heads, S3Conflicts conflicts) {
    this.s3 = s3;
    this.loc = loc;
    this.heads = heads;
    this.conflicts = conflicts;
  }

  /** True when the object was written, false when the key exists. */
  boolean upload(String key, byte[] data, boolean conditional) {
    if (heads.size(key).isPresent()) {
      return false;
    }
    String uploadId = s3.createMultipartUpload(createRequest(key)).uploadId();
    boolean completed = false;
    try {
      List<CompletedPart> parts = uploadParts(key, uploadId, data);
      completed =
          conflicts.write(
              key,
              () -> s3.completeMultipartUpload(completeRequest(key, uploadId, parts, conditional)));
      return completed;
    } finally {
      if (!completed) {
        abortQuietly(key, uploadId);
      }
    }
  }

  private CreateMultipartUploadRequest createRequest(String key) {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(loc.bucket())
            .key(key)
            .contentType("application/octet-stream");
    loc.storageClass().ifPresent(create::storageClass);
    loc.sse().ifPresent(create::serverSideEncryption);
    loc.kmsKeyId().ifPresent(create::ssekmsKeyId);
    loc.objectLockMode()
        .ifPresent(
            m -> create.objectLockMode(m).objectLockRetainUntilDate(S3Requests.retainUntil(loc)));
    return create.build();
  }

  private List<CompletedPart> uploadParts(String key, String uploadId, byte[] data) {
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
                      .contentMD5(S3Requests.md5(data, from, len)),
              S3Requests.body(data, from, len));
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build());
    }
    return parts;
  }

  private CompleteMultipartUploadRequest completeRequest(
      String key, String uploadId, List<CompletedPart> parts, boolean conditional) {
    CompleteMultipartUploadRequest.Builder done =
        CompleteMultipartUploadRequest.builder()
            .bucket(loc.bucket())
            .key(key)
            .uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts));
    if (conditional) {
      done.ifNoneMatch("*");
    }
    return done.build();
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(a -> a.bucket(loc.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // the write already failed; a leftover upload is invisible and a lifecycle rule can expire it
    }
  }
}
