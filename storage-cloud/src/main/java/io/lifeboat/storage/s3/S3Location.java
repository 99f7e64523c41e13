package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.LocationQuery;
import io.lifeboat.storage.common.Locations;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A parsed {@code s3://bucket/prefix?options} location. Kept apart from the backend so that a bad
 * location fails before any client is built, and so that {@link #display()} can be the one place
 * that decides what of the location may appear in messages and events.
 *
 * <p>Options (all optional): {@code region}, {@code endpoint} (an S3-compatible server; then {@code
 * pathStyle} defaults to true), {@code pathStyle}, {@code storageClass}, {@code sse} ({@code
 * AES256} or {@code aws:kms}), {@code kmsKeyId} (with {@code sse=aws:kms}), {@code objectLockMode}
 * ({@code GOVERNANCE} or {@code COMPLIANCE}) together with {@code objectLockDays}, {@code
 * multipartThreshold} (default 64MiB, at least 5MiB), {@code conditionalWrites} ({@code auto}, the
 * default, probes whether the server enforces {@code If-None-Match}; {@code true} or {@code false}
 * say so without probing). Credentials never come from the location: a user-info part is rejected.
 */
public record S3Location(
    String bucket,
    String prefix,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean pathStyle,
    Optional<StorageClass> storageClass,
    Optional<ServerSideEncryption> sse,
    Optional<String> kmsKeyId,
    Optional<ObjectLockMode> objectLockMode,
    int objectLockDays,
    long multipartThreshold,
    Optional<Boolean> conditionalWrites) {

  /** S3's smallest part size (except the last part). */
  public static final long MIN_PART = 5L << 20;

  public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;

  private static final Set<String> OPTIONS =
      Set.of(
          "region",
          "endpoint",
          "pathStyle",
          "storageClass",
          "sse",
          "kmsKeyId",
          "objectLockMode",
          "objectLockDays",
          "multipartThreshold",
          "conditionalWrites");

  public static S3Location parse(URI uri) {
    if (!"s3".equals(uri.getScheme())) {
      throw StorageException.permanent("not an s3 location: scheme " + uri.getScheme(), null);
    }
    if (uri.isOpaque()) {
      throw StorageException.permanent("s3 location must look like s3://bucket/prefix", null);
    }
    Locations.refuseCredentials(
        uri,
        "s3 location must not carry credentials; they come from the AWS default credential chain"
            + " (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, aws.accessKeyId/aws.secretAccessKey, profiles)");
    String bucket =
        Locations.authority(
            uri,
            "[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]",
            "s3 location needs a valid bucket name (3-63 of a-z 0-9 . -): s3://bucket/prefix");
    LocationQuery q = LocationQuery.parse(uri, OPTIONS);

    Optional<URI> endpoint =
        q.get("endpoint")
            .map(
                e ->
                    Locations.httpEndpoint(
                        e, q, "an http(s)://host[:port] URL without credentials"));
    boolean pathStyle = q.bool("pathStyle", endpoint.isPresent());

    Optional<StorageClass> storageClass =
        q.get("storageClass")
            .map(
                s ->
                    known(
                        StorageClass.fromValue(s),
                        q,
                        "storageClass",
                        "an S3 storage class such as STANDARD_IA"));
    Optional<ServerSideEncryption> sse =
        q.get("sse")
            .map(s -> known(ServerSideEncryption.fromValue(s), q, "sse", "AES256 or aws:kms"));
    Optional<String> kmsKeyId = q.get("kmsKeyId");
    if (kmsKeyId.isPresent() && sse.orElse(null) != ServerSideEncryption.AWS_KMS) {
      throw q.invalid("kmsKeyId", "used together with sse=aws:kms");
    }

    Optional<ObjectLockMode> lockMode =
        q.get("objectLockMode")
            .map(
                s ->
                    known(
                        ObjectLockMode.fromValue(s),
                        q,
                        "objectLockMode",
                        "GOVERNANCE or COMPLIANCE"));
    Optional<Integer> lockDays = q.positiveInt("objectLockDays");
    if (lockMode.isPresent() != lockDays.isPresent()) {
      throw q.invalid(
          lockMode.isPresent() ? "objectLockDays" : "objectLockMode",
          "set together with the other objectLock option");
    }

    long threshold = q.size("multipartThreshold").orElse(DEFAULT_MULTIPART_THRESHOLD);
    if (threshold < MIN_PART) {
      throw q.invalid("multipartThreshold", "at least 5MiB (S3's smallest part)");
    }
    return new S3Location(
        bucket,
        Locations.prefix(uri.getPath()),
        q.get("region"),
        endpoint,
        pathStyle,
        storageClass,
        sse,
        kmsKeyId,
        lockMode,
        lockDays.orElse(0),
        threshold,
        conditionalWrites(q));
  }

  private static Optional<Boolean> conditionalWrites(LocationQuery q) {
    Optional<String> v = q.get("conditionalWrites");
    if (v.isEmpty() || v.get().equalsIgnoreCase("auto")) {
      return Optional.empty();
    }
    return Optional.of(q.bool("conditionalWrites", true));
  }

  private static <T extends Enum<T>> T known(
      T value, LocationQuery q, String key, String expected) {
    if (value == null || "UNKNOWN_TO_SDK_VERSION".equals(value.name())) {
      throw q.invalid(key, expected);
    }
    return value;
  }

  /**
   * The location as shown in messages and events: bucket, prefix, and the endpoint and region when
   * given. No credentials, no KMS key id, no other options.
   */
  public String display() {
    StringBuilder s = new StringBuilder("s3://").append(bucket).append('/').append(prefix);
    if (s.charAt(s.length() - 1) == '/' && !prefix.isEmpty()) {
      s.setLength(s.length() - 1);
    }
    String sep = "?";
    if (region.isPresent()) {
      s.append(sep).append("region=").append(region.get());
      sep = "&";
    }
    if (endpoint.isPresent()) {
      s.append(sep).append("endpoint=").append(endpoint.get());
    }
    return s.toString();
  }

  /** Where requests go, for messages: the endpoint, or "AWS" plus the region. */
  public String server() {
    return endpoint
        .map(URI::toString)
        .orElse("AWS S3" + region.map(r -> " region " + r).orElse(""));
  }
}
