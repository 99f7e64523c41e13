package io.lifeboat.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoTest {

  @TempDir Path dir;

  @Test
  void aesGcm_sealOpen_roundTrips_andTamperingFails() throws Exception {
    AesGcm aes = new AesGcm(new byte[32]);
    byte[] aad = "ctx".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = aes.seal(aad, "secret data".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(aes.open(aad, sealed), StandardCharsets.UTF_8)).isEqualTo("secret data");

    sealed[sealed.length - 20] ^= 1;
    assertThatThrownBy(() -> aes.open(aad, sealed)).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void aesGcm_otherAssociatedData_fails() {
    AesGcm aes = new AesGcm(new byte[32]);
    byte[] sealed = aes.seal(new byte[] {1}, new byte[100]);
    assertThatThrownBy(() -> aes.open(new byte[] {2}, sealed))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void aesGcm_nonceIsFreshEachTime() {
    AesGcm aes = new AesGcm(new byte[32]);
    assertThat(aes.seal(new byte[0], new byte[16]))
        .isNotEqualTo(aes.seal(new byte[0], new byte[16]));
  }

  @Test
  void masterKey_fileRoundTrips_ownerOnly() throws Exception {
    MasterKey key = MasterKey.generate();
    Path file = dir.resolve("sub/key");
    key.writeTo(file);

    assertThat(MasterKey.fromFile(file)).isEqualTo(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("Keep a copy");
  }

  @Test
  void masterKey_rawBinaryFile_saysItIsNotAKeyFile() throws Exception {
    Path file = dir.resolve("raw.key");
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (0x80 + i); // not UTF-8
    }
    Files.write(file, raw);

    assertThatThrownBy(() -> MasterKey.fromFile(file))
        .hasMessageContaining("binary data")
        .hasMessageContaining("base64")
        .hasMessageNotContaining("Input length");
  }

  @Test
  void masterKey_neverShowsItsValue() throws Exception {
    MasterKey key = MasterKey.generate();
    Path file = dir.resolve("key");
    key.writeTo(file);
    String base64 = Files.readAllLines(file).get(2);

    assertThat(key.toString()).doesNotContain(base64).contains("redacted");
    assertThatThrownBy(() -> MasterKey.fromBase64("not*base64*" + "x", "env LIFEBOAT_MASTER_KEY"))
        .hasMessage("master key from env LIFEBOAT_MASTER_KEY is not valid base64");
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> MasterKey.fromBase64(shortKey, "env X"))
        .hasMessageContaining("must be 32 bytes")
        .hasMessageNotContaining(shortKey);
  }

  @Test
  void masterKey_wrapUnwrap_isBoundToContext() throws Exception {
    MasterKey key = MasterKey.generate();
    byte[] wrapped = key.wrap(new byte[] {1, 2, 3}, "repo-a");
    assertThat(key.unwrap(wrapped, "repo-a")).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> key.unwrap(wrapped, "repo-b"))
        .isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> MasterKey.generate().unwrap(wrapped, "repo-a"))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void chunkId_isKeyedAndParses() {
    byte[] data = "same content".getBytes(StandardCharsets.UTF_8);
    ChunkId a = new ChunkIdHasher(new byte[32]).idOf(data);
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    ChunkId b = new ChunkIdHasher(otherKey).idOf(data);

    assertThat(a).isNotEqualTo(b);
    assertThat(ChunkId.parse(a.hex())).isEqualTo(a);
    assertThatThrownBy(() -> ChunkId.parse("xyz")).hasMessageContaining("not a chunk id");
  }
}
