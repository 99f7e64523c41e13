package io.lifeboat.stage.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Signed actor claims on Kafka requests. The service that authenticated a person (the API) or that
 * acts on its own account (the scheduler) puts an {@link ActorClaim} in the {@value #CLAIM} header
 * and an Ed25519 signature in {@value #SIGNATURE}, over the topic, the claim (which names the
 * record key) and a SHA-256 of the value bytes. The service that acts checks it with the signer's
 * public key: only the holder of the private key can say who asked, and a claim cannot be moved to
 * another record, key or topic.
 *
 * <p>The value's digest is taken where the bytes are, in the consumer's deserializer ({@link
 * #digesting}), and handed to the listener in a header only this process can have written (it
 * starts with a random number drawn when the process started).
 */
public final class ActorSignatures {

  /** The claim: {@link ActorClaim#encode()}, UTF-8. */
  public static final String CLAIM = "lifeboat.actor";

  /** Ed25519 over {@link #signedBytes}. */
  public static final String SIGNATURE = "lifeboat.actor-sig";

  /** Set by {@link #digesting} on the consumer side: this process's nonce, then the digest. */
  static final String DIGEST = "lifeboat.value-digest";

  private static final byte[] NONCE = new SecureRandom().generateSeed(16);
  private static final byte[] DOMAIN = "lifeboat-actor-v1".getBytes(StandardCharsets.UTF_8);

  private ActorSignatures() {}

  /** Adds the claim and its signature for a record of {@code topic} with these value bytes. */
  public static void sign(
      Headers headers, PrivateKey key, String topic, ActorClaim claim, byte @Nullable [] value) {
    byte[] claimBytes = claim.encode().getBytes(StandardCharsets.UTF_8);
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(signedBytes(topic, claimBytes, sha256(value)));
      headers.remove(CLAIM);
      headers.remove(SIGNATURE);
      headers.add(CLAIM, claimBytes);
      headers.add(SIGNATURE, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an actor claim: " + e.getMessage(), e);
    }
  }

  /**
   * The claim a consumed record carries, if its signature is right for one of the known signers'
   * keys, the record's topic, key and value; otherwise why not.
   *
   * @param signers public key by signer name
   */
  public static Checked check(
      java.util.function.Function<String, Optional<PublicKey>> signers,
      String topic,
      @Nullable String key,
      Headers headers) {
    Header claimHeader = headers.lastHeader(CLAIM);
    Header sig = headers.lastHeader(SIGNATURE);
    if (claimHeader == null || sig == null) {
      return Checked.refused("it carries no signed actor claim (" + CLAIM + ")");
    }
    Optional<byte[]> digest = digestOf(headers);
    if (digest.isEmpty()) {
      return Checked.refused("its value was not read by a digesting deserializer");
    }
    String text = new String(claimHeader.value(), StandardCharsets.UTF_8);
    Optional<ActorClaim> claim = ActorClaim.decode(text);
    if (claim.isEmpty()) {
      return Checked.refused("its actor claim cannot be read");
    }
    Optional<PublicKey> publicKey = signers.apply(claim.get().signer());
    if (publicKey.isEmpty()) {
      return Checked.refused(
          "its actor claim is signed by '" + claim.get().signer() + "', a signer not known here");
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(publicKey.get());
      s.update(signedBytes(topic, claimHeader.value(), digest.get()));
      if (!s.verify(sig.value())) {
        return Checked.refused("its actor claim's signature is wrong (forged or altered)");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Checked.refused("its actor claim's signature is wrong (" + e.getMessage() + ")");
    }
    if (!claim.get().key().equals(key == null ? "" : key)) {
      return Checked.refused("its actor claim was made for another record");
    }
    return new Checked(claim.get(), "");
  }

  /**
   * Wraps a deserializer so the listener can check claims: it records the digest of each value it
   * reads, replacing anything a sender put under that name.
   */
  public static <V> Deserializer<V> digesting(Deserializer<V> inner) {
    return new Deserializer<>() {
      @Override
      public V deserialize(String topic, byte[] data) {
        return inner.deserialize(topic, data);
      }

      @Override
      public V deserialize(String topic, Headers headers, byte @Nullable [] data) {
        headers.remove(DIGEST);
        byte[] d = sha256(data);
        byte[] v = Arrays.copyOf(NONCE, NONCE.length + d.length);
        System.arraycopy(d, 0, v, NONCE.length, d.length);
        headers.add(DIGEST, v);
        return inner.deserialize(topic, headers, data);
      }

      @Override
      public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  private static Optional<byte[]> digestOf(Headers headers) {
    Header h = headers.lastHeader(DIGEST);
    if (h == null || h.value().length != NONCE.length + 32) {
      return Optional.empty();
    }
    byte[] v = h.value();
    if (!MessageDigest.isEqual(Arrays.copyOf(v, NONCE.length), NONCE)) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(v, NONCE.length, v.length));
  }

  private static byte[] signedBytes(String topic, byte[] claim, byte[] valueDigest) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[DOMAIN.length + 1 + t.length + 1 + claim.length + 1 + valueDigest.length];
    int i = 0;
    for (byte[] part : new byte[][] {DOMAIN, t, claim}) {
      System.arraycopy(part, 0, out, i, part.length);
      i += part.length;
      out[i++] = 0;
    }
    System.arraycopy(valueDigest, 0, out, i, valueDigest.length);
    return out;
  }

  static byte[] sha256(byte @Nullable [] value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The outcome of a check.
   *
   * @param claim the verified claim, or null when refused
   * @param refusal why it was refused; empty when verified
   */
  public record Checked(@Nullable ActorClaim claim, String refusal) {
    static Checked refused(String why) {
      return new Checked(null, why);
    }

    public boolean verified() {
      return claim != null;
    }
  }
}
