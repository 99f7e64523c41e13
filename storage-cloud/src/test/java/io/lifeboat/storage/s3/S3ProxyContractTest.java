package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendContractTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract against an in-process s3proxy ({@link S3ProxyServer}): each test class gets
 * its own server with one bucket, each test a fresh key prefix in it, so an empty repository.
 * Subclasses add their own tests, and location options by overriding {@link #newBackend()}.
 */
abstract class S3ProxyContractTest extends BackendContractTest {

  static final String BUCKET = "lifeboat-it";
  static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    server.useItsCredentials();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected Backend newBackend() {
    return open(uri(BUCKET, ""));
  }

  /** The backend itself, without the retry and logging decorators the registry adds. */
  static Backend open(String uri) {
    return new S3BackendFactory().create(URI.create(uri));
  }

  /**
   * A new repository in {@code bucket} of the server; {@code options} are "&amp;key=value" each.
   */
  static String uri(String bucket, String options) {
    return "s3://"
        + bucket
        + "/repo-"
        + UUID.randomUUID()
        + "?endpoint="
        + server.endpoint()
        + options;
  }
}
