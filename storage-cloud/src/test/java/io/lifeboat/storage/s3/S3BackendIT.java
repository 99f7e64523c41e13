package io.lifeboat.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendContractTest;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.core.storage.StorageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The backend contract, error classification and request options against s3proxy 2.6.0. */
class S3BackendIT extends BackendContractTest {

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
    return BackendRegistry.standard().open(uri(BUCKET, ""));
  }

  static String uri(String bucket, String options) {
    return "s3://" + bucket + "/repo-" + UUID.randomUUID() + "?endpoint=" + server.endpoint() + options;
  }

  @Test
  void s3proxy_refusesAPutWithIfNoneMatch_whenTheKeyExists() {
    // the fact putIfAbsent relies on: 412 from the server itself, not a check by the backend
    try (S3Client raw = server.client()) {
      String key = "probe-" + UUID.randomUUID();
      raw.putObject(p -> p.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("one"));
      S3Exception e =
          catchThrowableOfType(
              S3Exception.class,
              () -> raw.putObject(p -> p.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("two")));
      assertThat(e.statusCode()).isEqualTo(412);
      assertThat(raw.getObjectAsBytes(g -> g.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("one");
    }
  }

  @Test
  void missingBucket_isPermanent_andNamesBucketAndServer() {
    try (Backend b = BackendRegistry.standard().open(uri("no-such-bucket", ""))) {
      for (Runnable op :
          List.<Runnable>of(
              () -> b.putIfAbsent("x", new byte[1]), () -> b.size("x"), () -> b.get("x"), () -> b.list("", o -> {}))) {
        assertThatThrownBy(op::run)
            .isInstanceOf(StorageException.class)
            .hasMessage("bucket no-such-bucket does not exist in " + server.endpoint())
            .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
      }
    }
  }

  @Test
  void wrongCredentials_arePermanent_andTheSecretIsNowhereInTheError() {
    String wrong = "wrong-secret-" + UUID.randomUUID();
    for (Map<String, String> props :
        List.of(
            Map.of("aws.secretAccessKey", wrong),
            Map.of("aws.accessKeyId", "nobody", "aws.secretAccessKey", wrong))) {
      props.forEach(System::setProperty);
      try (Backend b = BackendRegistry.standard().open(uri(BUCKET, ""))) {
        StorageException e = catchThrowableOfType(StorageException.class, () -> b.putIfAbsent("x", new byte[1]));
        assertThat(e.isPermanent()).as(props.toString()).isTrue();
        assertThat(e.getMessage()).startsWith("access denied to s3://" + BUCKET + " (check credentials)");
        assertThat(stackTrace(e)).doesNotContain(wrong).doesNotContain(server.secret);
      } finally {
        server.useItsCredentials();
      }
    }
  }

  @Test
  void objectLockOptions_areSentWithEachPut() {
    List<Map<String, List<String>>> puts = new CopyOnWriteArrayList<>();
    ExecutionInterceptor capture =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
            if (c.httpRequest().method() == SdkHttpMethod.PUT) {
              puts.add(c.httpRequest().headers());
            }
          }
        };
    S3Location loc =
        S3Location.parse(URI.create(uri(BUCKET, "&objectLockMode=GOVERNANCE&objectLockDays=30&storageClass=STANDARD_IA")));
    try (Backend b = new S3Backend(loc, c -> c.overrideConfiguration(o -> o.addExecutionInterceptor(capture)))) {
      try {
        b.putIfAbsent("locked", "x".getBytes(StandardCharsets.UTF_8));
      } catch (StorageException serverMayNotImplementObjectLock) {
        // only the request is under test here
      }
    }
    assertThat(puts).hasSize(1);
    Map<String, List<String>> h = puts.get(0);
    assertThat(h.get("x-amz-object-lock-mode")).containsExactly("GOVERNANCE");
    Instant until = Instant.parse(h.get("x-amz-object-lock-retain-until-date").get(0));
    assertThat(Duration.between(Instant.now(), until)).isBetween(Duration.ofDays(30).minusMinutes(1), Duration.ofDays(30));
    assertThat(h.get("x-amz-storage-class")).containsExactly("STANDARD_IA");
    assertThat(h.get("If-None-Match")).containsExactly("*");
    assertThat(h).containsKey("Content-MD5");
  }

  @Test
  void stoppedServer_isTransient() throws Exception {
    S3ProxyServer other = S3ProxyServer.start();
    String endpoint = other.endpoint();
    other.close();
    try (Backend b = BackendRegistry.standard().open("s3://" + BUCKET + "/r?endpoint=" + endpoint)) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> b.size("x"));
      assertThat(e.isPermanent()).isFalse();
      assertThat(e.getMessage()).contains("stat x in s3://" + BUCKET + "/r").contains(endpoint + " not reachable");
    }
  }

  @Test
  void location_showsBucketPrefixAndEndpoint_butNoOtherOptions() {
    try (Backend b =
        BackendRegistry.standard()
            .open("s3://" + BUCKET + "/a/b?endpoint=" + server.endpoint() + "&sse=aws:kms&kmsKeyId=key-123")) {
      assertThat(b.location()).isEqualTo("s3://" + BUCKET + "/a/b?endpoint=" + server.endpoint());
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
