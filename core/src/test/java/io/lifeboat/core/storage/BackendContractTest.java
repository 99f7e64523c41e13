package io.lifeboat.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Backend} must keep (after restic's backend test suite). A new backend
 * joins by extending this class and implementing {@link #newBackend()}, which must return an empty
 * backend each time (a fresh folder, bucket prefix or container).
 */
public abstract class BackendContractTest {

  protected Backend backend;

  /** An empty backend of the implementation under test. */
  protected abstract Backend newBackend() throws Exception;

  @BeforeEach
  void open() throws Exception {
    backend = newBackend();
  }

  @AfterEach
  void close() {
    backend.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void putIfAbsent_thenGet_returnsSameBytes() {
    assertThat(backend.putIfAbsent("chunks/ab/object-1", bytes("hello"))).isTrue();
    assertThat(backend.get("chunks/ab/object-1")).isEqualTo(bytes("hello"));
  }

  @Test
  void putIfAbsent_existing_doesNothing() {
    backend.putIfAbsent("config", bytes("first"));
    assertThat(backend.putIfAbsent("config", bytes("second"))).isFalse();
    assertThat(backend.get("config")).isEqualTo(bytes("first"));
  }

  @Test
  void putIfAbsent_concurrentSameName_exactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] data = bytes("writer " + i);
        tasks.add(() -> backend.putIfAbsent("race/object", data));
      }
      int winners = 0;
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(new String(backend.get("race/object"), StandardCharsets.UTF_8))
          .startsWith("writer ");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void emptyAndLargeObjects_roundTrip() {
    byte[] large = random(8 * 1024 * 1024 + 17);
    backend.putIfAbsent("empty", new byte[0]);
    backend.putIfAbsent("large", large);
    assertThat(backend.get("empty")).isEmpty();
    assertThat(backend.get("large")).isEqualTo(large);
    assertThat(backend.size("large")).hasValue(large.length);
  }

  @Test
  void get_missing_isNotFound() {
    assertThatThrownBy(() -> backend.get("chunks/00/missing"))
        .isInstanceOf(ObjectNotFoundException.class)
        .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
  }

  @Test
  void get_range_returnsThoseBytes() {
    backend.putIfAbsent("r", bytes("0123456789"));
    assertThat(backend.get("r", 3, 4)).isEqualTo(bytes("3456"));
    assertThat(backend.get("r", 0, 10)).isEqualTo(bytes("0123456789"));
    assertThat(backend.get("r", 10, 0)).isEmpty();
  }

  @Test
  void get_rangePastTheEnd_isPermanentError() {
    backend.putIfAbsent("r", bytes("0123456789"));
    assertThatThrownBy(() -> backend.get("r", 8, 5))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
  }

  @Test
  void size_ofMissing_isEmpty() {
    assertThat(backend.size("nothing")).isEmpty();
    assertThat(backend.exists("nothing")).isFalse();
  }

  @Test
  void list_returnsEachObjectOnce_underPrefix() {
    backend.putIfAbsent("chunks/aa/1", bytes("a"));
    backend.putIfAbsent("chunks/aa/2", bytes("bb"));
    backend.putIfAbsent("chunks/bb/3", bytes("ccc"));
    backend.putIfAbsent("manifests/x", bytes("dddd"));

    List<ObjectInfo> chunks = new ArrayList<>();
    backend.list("chunks/", chunks::add);
    List<ObjectInfo> all = new ArrayList<>();
    backend.list("", all::add);

    assertThat(chunks)
        .containsExactlyInAnyOrder(
            new ObjectInfo("chunks/aa/1", 1),
            new ObjectInfo("chunks/aa/2", 2),
            new ObjectInfo("chunks/bb/3", 3));
    assertThat(all).hasSize(4);
  }

  @Test
  void list_ofAbsentPrefix_isEmpty() {
    List<ObjectInfo> none = new ArrayList<>();
    backend.list("manifests/", none::add);
    assertThat(none).isEmpty();
  }

  @Test
  void delete_thenNotFound_andDeleteAgainIsFalse() {
    backend.putIfAbsent("gone", bytes("x"));
    assertThat(backend.delete("gone")).isTrue();
    assertThat(backend.exists("gone")).isFalse();
    assertThat(backend.delete("gone")).isFalse();
    assertThat(backend.putIfAbsent("gone", bytes("y"))).isTrue();
  }

  @Test
  void invalidNames_areRejected() {
    for (String bad : List.of("../escape", "/abs", "a//b", ".hidden", "a/../b", "")) {
      assertThatThrownBy(() -> backend.putIfAbsent(bad, bytes("x")))
          .as(bad)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("invalid object name");
    }
  }

  @Test
  void version_isStableWhileUnchanged_andChangesWhenReplaced() {
    backend.putIfAbsent("chunks/ve/rsion", bytes("first"));
    java.util.Optional<String> first = backend.version("chunks/ve/rsion");
    assertThat(first).isPresent();
    assertThat(backend.version("chunks/ve/rsion")).isEqualTo(first);

    backend.delete("chunks/ve/rsion");
    assertThat(backend.version("chunks/ve/rsion")).isEmpty();
    backend.putIfAbsent("chunks/ve/rsion", bytes("the second"));
    assertThat(backend.version("chunks/ve/rsion")).isPresent().isNotEqualTo(first);
  }

  @Test
  void location_isStable() {
    assertThat(backend.location()).isNotBlank().isEqualTo(backend.location());
  }
}
