package io.lifeboat.stage.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.crypto.ChunkId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedChunksTest {

  static final java.util.Optional<String> V = java.util.Optional.of("v1");
  final AtomicLong now = new AtomicLong();

  static ChunkId id(int n) {
    byte[] b = new byte[ChunkId.BYTES];
    b[0] = (byte) n;
    return ChunkId.of(b, 0);
  }

  @Test
  void trustedWithinTheWindow_thenNot() {
    VerifiedChunks v = new VerifiedChunks(Duration.ofHours(1), 10, now::get);
    v.verified(id(1), V);
    now.addAndGet(Duration.ofMinutes(59).toNanos());
    assertThat(v.isRecent(id(1), V)).isTrue();
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(v.isRecent(id(1), V)).isFalse();
    assertThat(v.isRecent(id(2), V)).isFalse();
  }

  @Test
  void aChangedObjectVersion_isNotTrusted_anUnknownOneTrustsTheWindow() {
    VerifiedChunks v = new VerifiedChunks(Duration.ofHours(1), 10, now::get);
    v.verified(id(1), V);
    assertThat(v.isRecent(id(1), java.util.Optional.of("v2"))).isFalse();
    v.verified(id(2), java.util.Optional.empty());
    assertThat(v.isRecent(id(2), java.util.Optional.empty())).isTrue();
  }

  @Test
  void zeroWindow_trustsNothing_andForgetRemoves() {
    VerifiedChunks none = new VerifiedChunks(Duration.ZERO, 10, now::get);
    none.verified(id(1), V);
    assertThat(none.isRecent(id(1), V)).isFalse();

    VerifiedChunks some = new VerifiedChunks(Duration.ofHours(1), 10, now::get);
    some.verified(id(1), V);
    some.forget(id(1));
    assertThat(some.isRecent(id(1), V)).isFalse();
  }

  @Test
  void bounded_forgetsTheLeastRecentlyVerified() {
    VerifiedChunks v = new VerifiedChunks(Duration.ofHours(1), 2, now::get);
    v.verified(id(1), V);
    v.verified(id(2), V);
    v.verified(id(1), V); // verified again: now the newest
    v.verified(id(3), V);
    assertThat(v.isRecent(id(1), V)).isTrue();
    assertThat(v.isRecent(id(2), V)).isFalse();
    assertThat(v.isRecent(id(3), V)).isTrue();
  }
}
