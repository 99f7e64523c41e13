package io.lifeboat.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.core.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The backend contract, error classification and request options against s3proxy 2.6.0.
 *
 * <p>s3proxy ignores {@code If-None-Match}, so the backend probes, falls back to HEAD-then-PUT, and
 * the contract's race runs against that fallback, serialized within this JVM: it does not show
 * exclusivity between processes, which only a server that enforces the header gives. How the
 * backend reads an enforcing server's answers (412, 409 ConditionalRequestConflict) is checked by
 * rewriting s3proxy's responses.
 */
class S3BackendIT extends S3ProxyContractTest {

  /**
   * The server fact behind the fallback: s3proxy 2.6.0 accepts {@code If-None-Match: *} on
   * PutObject and ignores it. If a later s3proxy enforces it, this test fails and the contract's
   * race then runs against the server's check instead of the JVM-local lock.
   */
  @Test
  void s3proxyIgnoresIfNoneMatch_soTheBackendFallsBackToHeadThenPut() {
    try (S3Client raw = server.client()) {
      String key = "probe-" + UUID.randomUUID();
      raw.putObject(p -> p.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("one"));
      raw.putObject(p -> p.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("two"));
      assertThat(raw.getObjectAsBytes(g -> g.bucket(BUCKET).key(key)).asUtf8String())
          .isEqualTo("two");
    }
    S3Backend b = (S3Backend) backend;
    assertThat(b.conditionalWritesEnforced()).isFalse();
    assertThat(b.putIfAbsent("x", utf8("first"))).isTrue();
    assertThat(b.putIfAbsent("x", utf8("second"))).isFalse();
    assertThat(b.get("x")).isEqualTo(utf8("first"));
    List<String> keys = new ArrayList<>();
    try (S3Client raw = server.client()) {
      raw.listObjectsV2Paginator(l -> l.bucket(BUCKET)).contents().forEach(o -> keys.add(o.key()));
    }
    assertThat(keys).noneMatch(k -> k.contains(".lifeboat-probe-"));
  }

  @Test
  void missingBucket_isPermanent_andNamesBucketAndServer() {
    try (Backend b = open(uri("no-such-bucket", ""))) {
      for (Runnable op :
          List.<Runnable>of(
              () -> b.putIfAbsent("x", new byte[1]),
              () -> b.size("x"),
              () -> b.get("x"),
              () -> b.list("", o -> {}))) {
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
      try (Backend b = open(uri(BUCKET, ""))) {
        StorageException e =
            catchThrowableOfType(StorageException.class, () -> b.putIfAbsent("x", new byte[1]));
        assertThat(e.isPermanent()).as(props.toString()).isTrue();
        assertThat(e.getMessage())
            .startsWith("access denied to s3://" + BUCKET + " (check credentials)");
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
            if (c.httpRequest().method() == SdkHttpMethod.PUT
                && c.httpRequest().encodedPath().endsWith("/locked")) {
              puts.add(c.httpRequest().headers());
            }
          }
        };
    S3Location loc =
        S3Location.parse(
            URI.create(
                uri(
                    BUCKET,
                    "&objectLockMode=GOVERNANCE&objectLockDays=30&storageClass=STANDARD_IA&conditionalWrites=true")));
    try (Backend b =
        new S3Backend(loc, c -> c.overrideConfiguration(o -> o.addExecutionInterceptor(capture)))) {
      try {
        b.putIfAbsent("locked", utf8("x"));
      } catch (StorageException serverMayNotImplementObjectLock) {
        // only the request is under test here
      }
    }
    assertThat(puts).hasSize(1);
    Map<String, List<String>> h = puts.get(0);
    assertThat(h.get("x-amz-object-lock-mode")).containsExactly("GOVERNANCE");
    Instant until = Instant.parse(h.get("x-amz-object-lock-retain-until-date").get(0));
    assertThat(Duration.between(Instant.now(), until))
        .isBetween(Duration.ofDays(30).minusMinutes(1), Duration.ofDays(30));
    assertThat(h.get("x-amz-storage-class")).containsExactly("STANDARD_IA");
    assertThat(h.get("If-None-Match")).containsExactly("*");
    assertThat(h).containsKey("Content-MD5");
  }

  static final byte[] CONFLICT =
      utf8("<Error><Code>ConditionalRequestConflict</Code><Message>in flight</Message></Error>");

  @Test
  void anEnforcingServersAnswers_412And409_meanAlreadyThere() {
    AtomicInteger puts = new AtomicInteger();
    ExecutionInterceptor enforcing =
        new ExecutionInterceptor() {
          @Override
          public SdkHttpResponse modifyHttpResponse(
              Context.ModifyHttpResponse c, ExecutionAttributes a) {
            SdkHttpRequest req = c.httpRequest();
            if (req.method() != SdkHttpMethod.PUT
                || req.firstMatchingHeader("If-None-Match").isEmpty()) {
              return c.httpResponse();
            }
            int n = puts.incrementAndGet();
            if (n == 1) {
              return c.httpResponse();
            }
            return c.httpResponse().toBuilder()
                .statusCode(n == 2 ? 412 : 409)
                .putHeader("Content-Length", Integer.toString(n == 2 ? 0 : CONFLICT.length))
                .build();
          }

          @Override
          public Optional<InputStream> modifyHttpResponseContent(
              Context.ModifyHttpResponse c, ExecutionAttributes a) {
            if (puts.get() >= 3 && c.httpRequest().method() == SdkHttpMethod.PUT) {
              return Optional.of(new ByteArrayInputStream(CONFLICT));
            }
            return c.responseBody();
          }
        };
    S3Location loc = S3Location.parse(URI.create(uri(BUCKET, "&conditionalWrites=true")));
    try (Backend b =
        new S3Backend(
            loc, c -> c.overrideConfiguration(o -> o.addExecutionInterceptor(enforcing)))) {
      assertThat(b.putIfAbsent("config", utf8("first"))).isTrue();
      assertThat(b.putIfAbsent("config", utf8("second"))).as("412").isFalse();
      assertThat(b.putIfAbsent("config", utf8("third"))).as("409, then HEAD finds it").isFalse();
    }
  }

  @Test
  void stoppedServer_isTransient() throws Exception {
    S3ProxyServer other = S3ProxyServer.start();
    String endpoint = other.endpoint();
    other.close();
    try (Backend b = open("s3://" + BUCKET + "/r?endpoint=" + endpoint)) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> b.size("x"));
      assertThat(e.isPermanent()).isFalse();
      assertThat(e.getMessage())
          .contains("stat x in s3://" + BUCKET + "/r")
          .contains(endpoint + " not reachable");
    }
  }

  @Test
  void registry_opensS3_andLocationShowsBucketPrefixAndEndpoint_butNoOtherOptions() {
    try (Backend b =
        BackendRegistry.standard()
            .open(
                "s3://"
                    + BUCKET
                    + "/a/b?endpoint="
                    + server.endpoint()
                    + "&sse=aws:kms&kmsKeyId=key-123")) {
      assertThat(b.location()).isEqualTo("s3://" + BUCKET + "/a/b?endpoint=" + server.endpoint());
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
