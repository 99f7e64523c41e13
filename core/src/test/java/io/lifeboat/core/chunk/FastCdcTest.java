package io.lifeboat.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FastCdcTest {

  static final ChunkerParams SMALL = new ChunkerParams(2 * 1024, 8 * 1024, 32 * 1024, 42L);

  static List<byte[]> chunk(ChunkerParams params, byte[] data, int writeSize) throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    try (ChunkingOutputStream out =
        new ChunkingOutputStream(
            new FastCdc(params),
            (b, off, len) -> chunks.add(Arrays.copyOfRange(b, off, off + len)))) {
      for (int i = 0; i < data.length; i += writeSize) {
        out.write(data, i, Math.min(writeSize, data.length - i));
      }
    }
    return chunks;
  }

  static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static Set<String> keys(List<byte[]> chunks) {
    Set<String> keys = new HashSet<>();
    chunks.forEach(c -> keys.add(Arrays.hashCode(c) + ":" + c.length));
    return keys;
  }

  @Test
  void chunks_concatenateToInput_andRespectBounds() throws IOException {
    byte[] data = random(4 * 1024 * 1024, 1);
    List<byte[]> chunks = chunk(SMALL, data, 100_000);

    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      joined.write(c);
    }
    assertThat(joined.toByteArray()).isEqualTo(data);
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertThat(chunks.get(i).length).isBetween(SMALL.minSize(), SMALL.maxSize());
    }
    double avg = (double) data.length / chunks.size();
    assertThat(avg).isBetween(SMALL.avgSize() * 0.6, SMALL.avgSize() * 1.6);
  }

  @Test
  void chunks_doNotDependOnWriteSizes() throws IOException {
    byte[] data = random(1024 * 1024, 2);
    List<byte[]> a = chunk(SMALL, data, 1);
    List<byte[]> b = chunk(SMALL, data, 77_777);
    List<byte[]> c = chunk(SMALL, data, data.length);
    assertThat(a).hasSameSizeAs(b).hasSameSizeAs(c);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i)).isEqualTo(c.get(i));
    }
  }

  @Test
  void insertion_changesOnlyNearbyChunks() throws IOException {
    byte[] data = random(2 * 1024 * 1024, 3);
    byte[] edited = new byte[data.length + 13];
    int at = data.length / 2;
    System.arraycopy(data, 0, edited, 0, at);
    System.arraycopy("thirteen more".getBytes(), 0, edited, at, 13);
    System.arraycopy(data, at, edited, at + 13, data.length - at);

    List<byte[]> before = chunk(SMALL, data, 65536);
    List<byte[]> after = chunk(SMALL, edited, 65536);
    Set<String> old = keys(before);
    long fresh =
        after.stream().filter(c -> !old.contains(Arrays.hashCode(c) + ":" + c.length)).count();

    assertThat(fresh).isBetween(1L, 3L);
  }

  @Test
  void seed_changesBoundaries() throws IOException {
    byte[] data = random(1024 * 1024, 4);
    List<byte[]> a = chunk(SMALL, data, 65536);
    List<byte[]> b = chunk(new ChunkerParams(2048, 8192, 32768, 43L), data, 65536);
    assertThat(keys(a)).isNotEqualTo(keys(b));
  }

  @Test
  void zeros_areCutAtMaxSize() throws IOException {
    List<byte[]> chunks = chunk(SMALL, new byte[200_000], 4096);
    assertThat(chunks.get(0).length).isEqualTo(SMALL.maxSize());
    assertThat(keys(chunks.subList(0, chunks.size() - 1))).hasSize(1);
  }

  @Test
  void emptyStream_hasNoChunks_andTinyStreamOneChunk() throws IOException {
    assertThat(chunk(SMALL, new byte[0], 1)).isEmpty();
    assertThat(chunk(SMALL, new byte[] {1, 2, 3}, 1)).hasSize(1);
  }

  @Test
  void params_areValidated() {
    assertThatThrownBy(() -> new ChunkerParams(4096, 2048, 8192, 0))
        .hasMessage("minSize must be <= avgSize: 4096 > 2048");
    assertThatThrownBy(() -> new ChunkerParams(1024, 3000, 8192, 0))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> new ChunkerParams(1024, 4096, 16 * 1024 * 1024, 0))
        .hasMessageContaining("maxSize must be <=");
  }
}
