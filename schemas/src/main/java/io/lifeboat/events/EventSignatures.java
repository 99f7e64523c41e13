package io.lifeboat.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Signed events: where acting on a forged record would be dangerous (recovery step commands, the
 * dump stage's chunk lists), the sender adds a MAC of the topic and the value's bytes in the
 * {@value #HEADER} header, and the receiver reads the record only if the MAC is right. Kafka ACLs
 * decide who may write a topic; the MAC means that even a writer who gets past them (a broker
 * misconfigured, a credential leaked) cannot make the receiver act.
 */
public final class EventSignatures {

  /** The record header that carries the MAC. */
  public static final String HEADER = "lifeboat.mac";

  private EventSignatures() {}

  /** HMAC-SHA-256 over the topic name and the value bytes. */
  public static byte[] mac(byte[] key, String topic, byte[] value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(topic.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * A serializer that signs the records of the topics it has keys for and passes others through.
   */
  public static <V> Serializer<V> signing(Serializer<V> inner, Map<String, byte[]> keysByTopic) {
    Map<String, byte[]> keys = Map.copyOf(keysByTopic);
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, V data) {
        if (keys.containsKey(topic)) {
          throw new IllegalStateException(
              "records on " + topic + " must be signed: serialize with headers");
        }
        return inner.serialize(topic, data);
      }

      @Override
      public byte[] serialize(String topic, Headers headers, V data) {
        byte[] value = inner.serialize(topic, headers, data);
        byte[] key = keys.get(topic);
        if (key != null && value != null) {
          headers.remove(HEADER);
          headers.add(HEADER, mac(key, topic, value));
        }
        return value;
      }
    };
  }

  /**
   * A deserializer that reads a record only when its MAC is right, and otherwise throws {@link
   * ForgedEventException} (an {@link InvalidEventException}: the record goes to the dead-letter
   * topic, unread).
   */
  public static <V> Deserializer<V> verifying(Deserializer<V> inner, byte[] key) {
    Objects.requireNonNull(key, "key");
    return new Deserializer<>() {
      @Override
      public V deserialize(String topic, byte[] data) {
        throw new ForgedEventException(
            "record on " + topic + " read without its headers: its signature cannot be checked");
      }

      @Override
      public V deserialize(String topic, Headers headers, byte @Nullable [] data) {
        if (data == null) {
          throw new ForgedEventException("record on " + topic + " has no value: nothing to act on");
        }
        Header h = headers.lastHeader(HEADER);
        if (h == null) {
          throw new ForgedEventException(
              "record on " + topic + " carries no signature (" + HEADER + "): not acted on");
        }
        if (!MessageDigest.isEqual(h.value(), mac(key, topic, data))) {
          throw new ForgedEventException(
              "record on " + topic + " carries a wrong signature (" + HEADER + "): not acted on");
        }
        return inner.deserialize(topic, headers, data);
      }
    };
  }
}
