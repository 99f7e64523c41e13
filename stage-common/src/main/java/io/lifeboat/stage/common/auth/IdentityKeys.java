package io.lifeboat.stage.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Ed25519 key pairs that sign actor claims, as files in the Lifeboat home: {@code
 * identity.key}/{@code .pub} for the API (signer {@code api}) and {@code
 * scheduler-identity.key}/{@code .pub} for the scheduler. A private key file is the owner's only
 * (0600); the acting services read only the public files.
 */
public final class IdentityKeys {

  public static final String API = "api";
  public static final String SCHEDULER = "scheduler";

  private final Path dir;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(FileTime modified, PublicKey key) {}

  /**
   * @param dir where the {@code .pub} files are (the Lifeboat home)
   */
  public IdentityKeys(Path dir) {
    this.dir = dir;
  }

  /** The file a signer's private key is kept in. */
  public static Path privateFile(Path dir, String signer) {
    return dir.resolve(prefix(signer) + ".key");
  }

  public static Path publicFile(Path dir, String signer) {
    return dir.resolve(prefix(signer) + ".pub");
  }

  private static String prefix(String signer) {
    return signer.equals(API) ? "identity" : signer + "-identity";
  }

  /**
   * The signer's private key, made with its public file on first use.
   *
   * @throws UncheckedIOException when the files cannot be read or written
   */
  public static PrivateKey loadOrCreate(Path dir, String signer) {
    Path priv = privateFile(dir, signer);
    try {
      if (!Files.exists(priv)) {
        // one process per signer makes it (the coordinator, the scheduler, or `lifeboat up` first)
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".identity", ".tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp, encode(pair.getPrivate().getEncoded()), StandardOpenOption.WRITE);
        Files.writeString(publicFile(dir, signer), encode(pair.getPublic().getEncoded()));
        Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
      }
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(decode(Files.readString(priv))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or make the signing key " + priv, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the signing key " + priv + " is not an Ed25519 key", e);
    }
  }

  /**
   * The public key a signer's claims are checked with, if its file is there (re-read on change).
   */
  public Optional<PublicKey> publicKey(String signer) {
    if (!signer.equals(API) && !signer.equals(SCHEDULER)) {
      return Optional.empty();
    }
    Path file = publicFile(dir, signer);
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      Cached c = cache.get(signer);
      if (c != null && c.modified.equals(modified)) {
        return Optional.of(c.key);
      }
      PublicKey key =
          KeyFactory.getInstance("Ed25519")
              .generatePublic(new X509EncodedKeySpec(decode(Files.readString(file))));
      cache.put(signer, new Cached(modified, key));
      return Optional.of(key);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not an Ed25519 public key", e);
    }
  }

  private static String encode(byte[] der) {
    return Base64.getEncoder().encodeToString(der) + "\n";
  }

  private static byte[] decode(String text) {
    return Base64.getDecoder().decode(text.strip().getBytes(StandardCharsets.US_ASCII));
  }
}
