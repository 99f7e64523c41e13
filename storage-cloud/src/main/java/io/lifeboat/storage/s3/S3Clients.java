package io.lifeboat.storage.s3;

import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the SDK client for a location. Credentials come only from the SDK's default provider
 * chain; the SDK's own flexible checksums are only sent when an operation requires them, because
 * S3-compatible servers reject the newer headers (writes carry Content-MD5 instead).
 */
final class S3Clients {

  private S3Clients() {}

  /** The client for {@code location}, with {@code customizer} applied last to its builder. */
  static S3Client build(S3Location location, Consumer<S3ClientBuilder> customizer) {
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
    return b.build();
  }

  private static Region defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException none) {
      return Region.US_EAST_1; // with cross-region access the bucket's own region is found
    }
  }
}
