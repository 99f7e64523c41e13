package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.common.Failures;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Maps an SDK failure to permanent (retrying cannot help: missing bucket, credentials, a bad
 * request) or transient (network, 5xx, throttling), so that the caller's retry policy can tell them
 * apart. Messages name the operation, the bucket and the server, and the server's error code; never
 * credentials.
 */
final class S3Errors {

  private static final Set<String> AUTH_CODES =
      Set.of(
          "AccessDenied",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "InvalidToken",
          "TokenRefreshRequired",
          "AllAccessDisabled",
          "AccountProblem",
          "InvalidSecurity",
          "NotSignedUp",
          "AuthorizationHeaderMalformed");
  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestTimeout",
          "RequestLimitExceeded",
          "TooManyRequests",
          "OperationAborted",
          "InternalError",
          "ServiceUnavailable");

  private final S3Location loc;
  private final String display;

  S3Errors(S3Location loc) {
    this.loc = loc;
    this.display = loc.display();
  }

  /** {@code action} (and {@code name}, when there is one) is what failed, for the message. */
  StorageException classify(String action, @Nullable String name, SdkException e) {
    String what = Failures.what(action, name, display);
    if (e instanceof S3Exception) {
      S3Exception s = (S3Exception) e;
      int status = s.statusCode();
      String code = code(s);
      String said = Failures.said(status, code);
      if ("NoSuchBucket".equals(code)) {
        return noSuchBucket(e);
      }
      if (status == 403 || (code != null && AUTH_CODES.contains(code))) {
        return StorageException.permanent(
            "access denied to s3://"
                + loc.bucket()
                + " (check credentials): "
                + said
                + " when trying to "
                + what,
            e);
      }
      if (status == 301 || "PermanentRedirect".equals(code)) {
        return StorageException.permanent(
            "bucket "
                + loc.bucket()
                + " is in another region than the one used; set ?region= in the location",
            e);
      }
      if (status == 501 || "NotImplemented".equals(code)) {
        return StorageException.permanent(
            what
                + ": "
                + loc.server()
                + " does not implement a feature this request uses ("
                + said
                + detail(s)
                + "); with If-None-Match, set conditionalWrites=false in the location",
            e);
      }
      if (status >= 500
          || status == 429
          || status == 409
          || (code != null && TRANSIENT_CODES.contains(code))) {
        return StorageException.transientFault(
            what + " failed, " + loc.server() + " said " + said, e);
      }
      return StorageException.permanent(
          what + " rejected by " + loc.server() + ", " + said + detail(s), e);
    }
    if (e instanceof SdkClientException) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Unable to load credentials")) {
        return StorageException.permanent(
            "no AWS credentials found for s3://"
                + loc.bucket()
                + " (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, aws.accessKeyId/aws.secretAccessKey or a profile)",
            e);
      }
      return StorageException.transientFault(
          "cannot "
              + what
              + ": "
              + loc.server()
              + " not reachable ("
              + Failures.rootMessage(e)
              + ")",
          e);
    }
    return StorageException.transientFault("cannot " + what + ": " + Failures.rootMessage(e), e);
  }

  StorageException noSuchBucket(Throwable cause) {
    return StorageException.permanent(
        "bucket " + loc.bucket() + " does not exist in " + loc.server(), cause);
  }

  /** A 404 that is not about the bucket: the object is absent. */
  static boolean isNoSuchKey(S3Exception e) {
    return e.statusCode() == 404 && !"NoSuchBucket".equals(code(e));
  }

  /** The server's error code, such as {@code NoSuchBucket}; null when the answer had none. */
  static @Nullable String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static String detail(S3Exception s) {
    return s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
        ? ""
        : ": " + s.awsErrorDetails().errorMessage();
  }
}
