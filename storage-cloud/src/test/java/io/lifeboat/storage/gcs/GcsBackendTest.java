package io.lifeboat.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendContractTest;
import io.lifeboat.core.storage.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract against google-cloud-nio's in-memory fake of the {@link Storage} API (no GCS
 * emulator runs here), plus what the fake cannot show, checked on the requests themselves.
 *
 * <p>Three contract cases cannot pass against the fake and are skipped, by name, with the reason:
 *
 * <ul>
 *   <li>{@code putIfAbsent_existing_doesNothing} and {@code
 *       putIfAbsent_concurrentSameName_exactlyOneWins}: the fake ignores the {@code
 *       ifGenerationMatch=0} precondition of {@code doesNotExist()} on create ({@code
 *       LocalStorageHelper.customOptions(false)}) — or, as {@code LocalStorageHelper.getOptions()},
 *       rejects every create that carries any option — and it is not thread-safe. GCS itself
 *       enforces the precondition atomically; here the tests below check that every write carries
 *       it and that GCS's 412 answer becomes false.
 *   <li>{@code get_rangePastTheEnd_isPermanentError}: the fake pads a range that runs past the end
 *       of an object with zero bytes instead of ending the stream (10 bytes, 5 asked at 8: it
 *       returns "89" and three zeros), so a short read cannot be seen without an extra metadata
 *       request per read; GCS ends the stream (or answers 416) and the backend then fails
 *       permanently, as it does here for a range that starts past the end.
 * </ul>
 *
 * Canary tests pin those fake behaviours: when one fails, the fake got better and the skip can go.
 */
class GcsBackendTest extends BackendContractTest {

  /** The fake builds a client without an application name, which logs a JUL warning each time. */
  private static final java.util.logging.Logger GOOGLE_CLIENT =
      java.util.logging.Logger.getLogger(
          "com.google.api.client.googleapis.services.AbstractGoogleClient");

  static {
    GOOGLE_CLIENT.setLevel(java.util.logging.Level.SEVERE);
  }

  private static final Map<String, String> IMPOSSIBLE_WITH_THE_FAKE =
      Map.of(
          "putIfAbsent_existing_doesNothing", "the fake ignores the doesNotExist precondition",
          "putIfAbsent_concurrentSameName_exactlyOneWins",
              "the fake ignores the doesNotExist precondition and is not thread-safe",
          "get_rangePastTheEnd_isPermanentError",
              "the fake pads a read past the end with zero bytes");

  @Override
  protected Backend newBackend() {
    return new GcsBackend(new GcsLocation("bucket-1", "repo-" + UUID.randomUUID() + "/"), fake());
  }

  static Storage fake() {
    return LocalStorageHelper.customOptions(false).getService();
  }

  @BeforeEach
  void skipWhatTheFakeCannotDo(TestInfo test) {
    String reason = IMPOSSIBLE_WITH_THE_FAKE.get(test.getTestMethod().orElseThrow().getName());
    Assumptions.assumeTrue(reason == null, () -> "not testable with the in-memory fake: " + reason);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A Storage that records create calls and answers them with {@code answer} (null: write). */
  static Storage recording(Storage inner, List<Object[]> creates, Integer answer) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (method.getName().equals("create")
                  && args.length == 3
                  && args[1] instanceof byte[]
                  && args[2] instanceof Storage.BlobTargetOption[]) {
                creates.add(args);
                if (answer != null) {
                  throw new com.google.cloud.storage.StorageException(answer, "answer " + answer);
                }
              }
              try {
                return method.invoke(inner, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void everyWrite_carriesTheDoesNotExistPrecondition() {
    List<Object[]> creates = new ArrayList<>();
    Backend b = new GcsBackend(new GcsLocation("bucket-1", "p/"), recording(fake(), creates, null));
    assertThat(b.putIfAbsent("chunks/ab/1", utf8("x"))).isTrue();
    assertThat(creates).hasSize(1);
    assertThat(((BlobInfo) creates.get(0)[0]).getBlobId())
        .isEqualTo(BlobId.of("bucket-1", "p/chunks/ab/1"));
    assertThat(Arrays.asList((Storage.BlobTargetOption[]) creates.get(0)[2]))
        .containsExactly(Storage.BlobTargetOption.doesNotExist());
  }

  @Test
  void preconditionFailed_meansAlreadyThere_andNothingIsWritten() {
    Storage inner = fake();
    Backend b =
        new GcsBackend(new GcsLocation("bucket-1", ""), recording(inner, new ArrayList<>(), 412));
    assertThat(b.putIfAbsent("config", utf8("second"))).isFalse();
    assertThat(inner.get(BlobId.of("bucket-1", "config"))).isNull();
  }

  @Test
  void serviceErrors_areClassified() {
    StorageException denied =
        catchThrowableOfType(
            StorageException.class,
            () ->
                new GcsBackend(
                        new GcsLocation("bucket-1", ""), recording(fake(), new ArrayList<>(), 403))
                    .putIfAbsent("x", utf8("x")));
    assertThat(denied.isPermanent()).isTrue();
    assertThat(denied.getMessage())
        .startsWith("access denied to gs://bucket-1 (check Application Default Credentials)");

    StorageException busy =
        catchThrowableOfType(
            StorageException.class,
            () ->
                new GcsBackend(
                        new GcsLocation("bucket-1", ""), recording(fake(), new ArrayList<>(), 503))
                    .putIfAbsent("x", utf8("x")));
    assertThat(busy.isPermanent()).isFalse();

    StorageException noBucket =
        catchThrowableOfType(
            StorageException.class,
            () ->
                new GcsBackend(
                        new GcsLocation("bucket-1", ""), recording(fake(), new ArrayList<>(), 404))
                    .putIfAbsent("x", utf8("x")));
    assertThat(noBucket.isPermanent()).isTrue();
    assertThat(noBucket.getMessage())
        .isEqualTo("bucket bucket-1 does not exist in Google Cloud Storage");
  }

  @Test
  void rangeStartingPastTheEnd_isPermanent() {
    backend.putIfAbsent("r", utf8("0123456789"));
    assertThatThrownBy(() -> backend.get("r", 12, 1))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
    assertThatThrownBy(() -> backend.get("r", 11, 0))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
  }

  @Test
  void canary_fakeIgnoresDoesNotExist() {
    Storage s = fake();
    BlobInfo info = BlobInfo.newBuilder(BlobId.of("b", "k")).build();
    s.create(info, utf8("one"), Storage.BlobTargetOption.doesNotExist());
    s.create(info, utf8("two"), Storage.BlobTargetOption.doesNotExist());
    assertThat(s.readAllBytes(BlobId.of("b", "k"))).isEqualTo(utf8("two"));
    Storage strict = LocalStorageHelper.getOptions().getService();
    assertThatThrownBy(
            () -> strict.create(info, utf8("one"), Storage.BlobTargetOption.doesNotExist()))
        .hasRootCauseInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void canary_fakePadsARangePastTheEnd() throws Exception {
    Storage s = fake();
    BlobId id = BlobId.of("b", "r");
    s.create(BlobInfo.newBuilder(id).build(), utf8("0123456789"));
    try (ReadChannel in = s.reader(id)) {
      in.seek(8);
      in.limit(13);
      ByteBuffer buf = ByteBuffer.allocate(5);
      assertThat(in.read(buf)).isEqualTo(5);
      assertThat(buf.array()).containsExactly('8', '9', 0, 0, 0);
    }
  }

  @Test
  void location_parsing() {
    assertThat(GcsLocation.parse(URI.create("gs://my-bucket/a/b/")).prefix()).isEqualTo("a/b/");
    assertThat(GcsLocation.parse(URI.create("gs://my-bucket/a/b")).display())
        .isEqualTo("gs://my-bucket/a/b");
    assertThat(GcsLocation.parse(URI.create("gs://my-bucket")).prefix()).isEmpty();
    assertThatThrownBy(() -> GcsLocation.parse(URI.create("gs://my-bucket/p?key=secret")))
        .hasMessageContaining("unknown option 'key'")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> GcsLocation.parse(URI.create("gs://u:pw@my-bucket/p")))
        .hasMessageContaining("credentials");
    assertThat(new GcsBackendFactory().scheme()).isEqualTo("gs");
  }
}
