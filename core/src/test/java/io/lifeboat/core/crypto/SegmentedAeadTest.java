package io.lifeboat.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentedAeadTest {

  static final int S = SegmentedAead.SEGMENT;
  final SegmentedAead aead = new SegmentedAead(new byte[32]);
  final byte[] aad = {1, 2, 3};

  byte[] seal(byte[] plain) {
    byte[] out = new byte[SegmentedAead.sealedSize(plain.length)];
    assertThat(aead.seal(aad, plain, 0, plain.length, out, 0)).isEqualTo(out.length);
    return out;
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void sealOpen_roundTrips_atEverySegmentBoundary() throws Exception {
    for (int n : new int[] {0, 1, S - 1, S, S + 1, 2 * S, 3 * S + 17, 1024 * 1024}) {
      byte[] plain = random(n);
      assertThat(aead.open(aad, seal(plain), 0, SegmentedAead.sealedSize(n)))
          .as("size %d", n)
          .isEqualTo(plain);
    }
  }

  @Test
  void flippedBit_inAnySegment_fails() {
    byte[] sealed = seal(random(3 * S + 100));
    for (int at : new int[] {20, S + 40, 2 * S + 90, sealed.length - 1}) {
      byte[] bad = sealed.clone();
      bad[at] ^= 1;
      assertThatThrownBy(() -> aead.open(aad, bad, 0, bad.length))
          .isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void droppingTheLastSegment_fails() {
    byte[] sealed = seal(random(2 * S));
    byte[] cut = Arrays.copyOf(sealed, sealed.length - SegmentedAead.TAG_BYTES);
    assertThatThrownBy(() -> aead.open(aad, cut, 0, cut.length))
        .isInstanceOf(AuthenticationException.class);
    byte[] cutMore = Arrays.copyOf(sealed, SegmentedAead.SALT_BYTES + S + SegmentedAead.TAG_BYTES);
    assertThatThrownBy(() -> aead.open(aad, cutMore, 0, cutMore.length))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void swappedSegments_fail() {
    byte[] sealed = seal(random(2 * S + 5));
    int seg = S + SegmentedAead.TAG_BYTES;
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, 16, swapped, 16 + seg, seg);
    System.arraycopy(sealed, 16 + seg, swapped, 16, seg);
    assertThatThrownBy(() -> aead.open(aad, swapped, 0, swapped.length))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void otherAssociatedDataOrKey_fails_andSaltMakesEachSealingDifferent() {
    byte[] plain = random(1000);
    byte[] sealed = seal(plain);
    assertThatThrownBy(() -> aead.open(new byte[] {9}, sealed, 0, sealed.length))
        .isInstanceOf(AuthenticationException.class);
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new SegmentedAead(other).open(aad, sealed, 0, sealed.length))
        .isInstanceOf(AuthenticationException.class);
    assertThat(seal(plain)).isNotEqualTo(sealed);
  }
}
