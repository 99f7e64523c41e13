package io.lifeboat.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The contract again with {@code multipartThreshold=5MiB}, so the contract's 8 MiB object is
 * written as a two-part upload, plus a failed part and a race of multipart writers. (s3proxy
 * ignores If-None-Match, so the race is decided by the backend's JVM-local fallback; see {@link
 * S3BackendIT}.)
 */
class S3MultipartBackendIT extends S3ProxyContractTest {

  @Override
  protected Backend newBackend() {
    return open(uri(BUCKET, "&multipartThreshold=5MiB"));
  }

  @Test
  void aFailedPart_abortsTheUpload_andLeavesNothingBehind() {
    try (S3Client raw = server.client()) {
      // the server does list open uploads, so "none open" below means something
      String id = raw.createMultipartUpload(c -> c.bucket(BUCKET).key("open")).uploadId();
      assertThat(raw.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).hasSize(1);
      raw.abortMultipartUpload(a -> a.bucket(BUCKET).key("open").uploadId(id));
    }
    ExecutionInterceptor failSecondPart =
        new ExecutionInterceptor() {
          @Override
          public SdkHttpResponse modifyHttpResponse(
              Context.ModifyHttpResponse c, ExecutionAttributes a) {
            boolean secondPart =
                c.httpRequest()
                    .firstMatchingRawQueryParameter("partNumber")
                    .filter("2"::equals)
                    .isPresent();
            return secondPart
                ? c.httpResponse().toBuilder().statusCode(500).build()
                : c.httpResponse();
          }
        };
    S3Location loc = S3Location.parse(URI.create(uri(BUCKET, "&multipartThreshold=5MiB")));
    try (Backend b =
        new S3Backend(
            loc, c -> c.overrideConfiguration(o -> o.addExecutionInterceptor(failSecondPart)))) {
      StorageException e =
          catchThrowableOfType(
              StorageException.class, () -> b.putIfAbsent("big", new byte[6 << 20]));
      assertThat(e.isPermanent()).isFalse();
      assertThat(b.exists("big")).isFalse();
    }
    try (S3Client raw = server.client()) {
      assertThat(raw.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).isEmpty();
    }
  }

  @Test
  void racingMultipartWriters_exactlyOneWins_andNoUploadIsLeftOpen() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        byte[] data = new byte[6 << 20];
        new Random(i).nextBytes(data);
        tasks.add(() -> backend.putIfAbsent("big", data));
      }
      int winners = 0;
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(backend.size("big")).hasValue(6 << 20);
    } finally {
      pool.shutdownNow();
    }
    try (S3Client raw = server.client()) {
      assertThat(raw.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).isEmpty();
    }
  }
}
