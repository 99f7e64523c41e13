package io.lifeboat.storage.s3;

import io.lifeboat.testkit.Eventually;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy inside the test JVM on a free port, over jclouds' in-memory "transient" blob store, with
 * AWS v4 signatures checked against a random identity and secret. Tests hand those to the backend
 * through the system properties of the AWS default credential chain.
 */
final class S3ProxyServer implements AutoCloseable {

  final String identity = "id-" + UUID.randomUUID().toString().substring(0, 8);
  final String secret = "secret-" + UUID.randomUUID();
  private final BlobStoreContext store;
  private final S3Proxy proxy;

  private S3ProxyServer() throws Exception {
    store =
        ContextBuilder.newBuilder("transient")
            .credentials("unused", "unused")
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(store.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, identity, secret)
            .build();
    proxy.start();
    Eventually.await(
        "the in-process s3proxy to start",
        Duration.ofSeconds(60),
        proxy::getState,
        "STARTED"::equals);
  }

  static S3ProxyServer start() throws Exception {
    return new S3ProxyServer();
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  void createBucket(String bucket) {
    store.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** A plain SDK client of this server, to check what the backend cannot show. */
  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, secret)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Makes the AWS default credential chain of this JVM find this server's identity. */
  void useItsCredentials() {
    System.setProperty("aws.accessKeyId", identity);
    System.setProperty("aws.secretAccessKey", secret);
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      store.close();
    }
  }
}
