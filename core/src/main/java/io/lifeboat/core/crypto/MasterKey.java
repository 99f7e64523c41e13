package io.lifeboat.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The key that wraps a repository's data keys (envelope encryption): rotating it means re-wrapping
 * the data keys, not re-encrypting data. 32 random bytes, kept in a key file (base64 on one line,
 * '#' lines are comments) or in an environment variable. Never printed: {@link #toString()} is
 * redacted and errors name the source, not the value.
 */
public final class MasterKey {

  /** Environment variable that may hold the master key (base64). */
  public static final String ENV = "LIFEBOAT_MASTER_KEY";

  private final byte[] key;
  private final String source;

  private MasterKey(byte[] key, String source) {
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "master key from " + source + " must be 32 bytes (base64), got " + key.length);
    }
    this.key = key.clone();
    this.source = source;
  }

  public static MasterKey generate() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new MasterKey(k, "generated");
  }

  /** Reads a key file. */
  public static MasterKey fromFile(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IOException("key file not found: " + file);
    }
    java.util.List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(
          "key file "
              + file
              + " holds binary data, not a Lifeboat key: a key file is text, one line of base64"
              + " (as `lifeboat init` writes it)");
    }
    for (String line : lines) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        return new MasterKey(decode(t, "key file " + file), "key file " + file);
      }
    }
    throw new IOException("key file " + file + " holds no key");
  }

  /**
   * Where a process finds its master key, decided in this one place: {@value #ENV} when set, else
   * the key file.
   *
   * @return the key, or empty when neither the variable nor the file exists
   * @throws IOException when the file exists but cannot be read or holds no valid key
   */
  public static Optional<MasterKey> find(@Nullable Path keyFile) throws IOException {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Optional.of(fromBase64(env, "environment variable " + ENV));
    }
    if (keyFile == null || !Files.exists(keyFile)) {
      return Optional.empty();
    }
    return Optional.of(fromFile(keyFile));
  }

  /** Reads a base64 key from an environment-style value (the value itself is never echoed). */
  public static MasterKey fromBase64(String value, String source) {
    return new MasterKey(decode(value.strip(), source), source);
  }

  /** Writes the key to a new file readable by its owner only (0600 from its first byte). */
  public void writeTo(Path file) throws IOException {
    SecretFiles.create(
        file,
        "# Lifeboat master key. Without it no backup in the repository can be read.\n"
            + "# Keep a copy somewhere other than the machine and the storage it protects.\n"
            + Base64.getEncoder().encodeToString(key)
            + "\n");
  }

  /**
   * A key for one purpose derived from this one (HMAC-SHA-256 of the purpose): the processes that
   * hold the master key share it without another secret to distribute.
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(("lifeboat:" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is missing from this JDK", e);
    }
  }

  /** Where the key came from, for messages (e.g. "key file /root/.lifeboat/key"). */
  public String source() {
    return source;
  }

  AesGcm cipher() {
    return new AesGcm(key);
  }

  /** Wraps secret material under this key, bound to {@code context}. */
  public byte[] wrap(byte[] secret, String context) {
    return cipher().seal(context.getBytes(StandardCharsets.UTF_8), secret);
  }

  /** Unwraps what {@link #wrap} produced with the same context. */
  public byte[] unwrap(byte[] wrapped, String context) throws AuthenticationException {
    return cipher().open(context.getBytes(StandardCharsets.UTF_8), wrapped);
  }

  private static byte[] decode(String base64, String source) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("master key from " + source + " is not valid base64");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterKey other && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "MasterKey[" + source + ", <redacted>]";
  }
}
