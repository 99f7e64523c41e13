package io.lifeboat.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.storage.decorate.Backends;
import io.lifeboat.core.storage.decorate.RetryPolicy;
import io.lifeboat.core.storage.decorate.RetryingBackend;
import io.lifeboat.core.storage.decorate.StorageOptions;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.FlakyBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole decorator stack, over a backend failing 30 % of its calls, still keeps the contract.
 */
class DecoratedBackendsTest extends BackendContractTest {

  @TempDir Path dir;

  @Override
  protected Backend newBackend() {
    FlakyBackend flaky = new FlakyBackend(new MemBackend(UUID.randomUUID().toString()), 0.3, 42);
    return Backends.decorate(
        flaky,
        new StorageOptions(
            4, 1L << 40, new RetryPolicy(20, Duration.ofMillis(1), Duration.ofMillis(5))));
  }

  @Test
  void permanentErrors_areNotRetried() {
    int[] calls = {0};
    Backend failing =
        new io.lifeboat.core.storage.decorate.DecoratedBackend() {
          @Override
          public Backend inner() {
            return new MemBackend("x");
          }

          @Override
          public boolean putIfAbsent(String name, byte[] data) {
            return false;
          }

          @Override
          public byte[] get(String name) {
            calls[0]++;
            throw StorageException.permanent("access denied", null);
          }

          @Override
          public byte[] get(String name, long offset, int length) {
            return get(name);
          }

          @Override
          public java.util.OptionalLong size(String name) {
            return java.util.OptionalLong.empty();
          }

          @Override
          public void list(String prefix, java.util.function.Consumer<ObjectInfo> each) {}

          @Override
          public boolean delete(String name) {
            return false;
          }
        };
    Backend retrying =
        new RetryingBackend(
            failing, new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(1)));
    assertThatThrownBy(() -> retrying.get("a")).hasMessage("access denied");
    assertThat(calls[0]).isEqualTo(1);
  }

  @Test
  void transientErrors_giveUpAfterMaxAttempts() {
    FlakyBackend alwaysFailing = new FlakyBackend(new MemBackend("y"), 1.0, 1);
    Backend retrying =
        new RetryingBackend(
            alwaysFailing, new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1)));
    assertThatThrownBy(() -> retrying.size("a"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("injected fault");
    assertThat(alwaysFailing.failures()).isEqualTo(3);
  }

  @Test
  void registry_stripsLifeboatOptions_andDecorates() {
    Backend b =
        BackendRegistry.standard()
            .open(dir.resolve("r").toUri() + "?connections=2&bandwidth=10MiB&retries=3");
    assertThat(Backends.unwrap(b, RetryingBackend.class)).isPresent();
    assertThat(Backends.unwrap(b, io.lifeboat.core.storage.local.LocalBackend.class)).isPresent();
    assertThat(b.location()).doesNotContain("bandwidth");
    b.putIfAbsent("a", new byte[] {1});
    assertThat(b.get("a")).containsExactly(1);
  }

  @Test
  void failover_readsFromTheNextLocation_andSaysSo() {
    MemBackend replica = new MemBackend("replica-" + UUID.randomUUID());
    replica.putIfAbsent("chunks/aa/1", new byte[] {7});
    Backend down = new FlakyBackend(new MemBackend("down"), 1.0, 3);
    List<String> notices = new ArrayList<>();
    FailoverBackend failover = new FailoverBackend(List.of(down, replica), notices::add);

    assertThat(failover.get("chunks/aa/1")).containsExactly(7);
    assertThat(notices).singleElement().asString().contains("reading from mem:replica");
    assertThat(failover.current()).isSameAs(replica);
    assertThatThrownBy(() -> failover.get("chunks/aa/2"))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> failover.putIfAbsent("x", new byte[0]))
        .hasMessageContaining("read-only");
  }
}
