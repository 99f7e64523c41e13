package io.lifeboat.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendContractTest;
import io.lifeboat.core.storage.BackendRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The contract again with {@code multipartThreshold=5MiB}, so the contract's 8 MiB object is
 * written as a two-part upload, plus a race of multipart writers.
 */
class S3MultipartBackendIT extends BackendContractTest {

  static final String BUCKET = "lifeboat-mpu";
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
    return BackendRegistry.standard()
        .open("s3://" + BUCKET + "/repo-" + UUID.randomUUID() + "?endpoint=" + server.endpoint() + "&multipartThreshold=5MiB");
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
