package io.lifeboat.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one event type with Avro single-object encoding: a two-byte marker, the
 * 8-byte fingerprint of the writer schema, then the Avro binary body. The fingerprint lets a reader
 * pick the right writer schema from {@link SchemaHistory}, so schemas can evolve.
 *
 * @param <V> the generated event class
 */
public final class EventCodec<V extends SpecificRecord> {

  private static final Map<Class<?>, EventCodec<?>> CODECS = new ConcurrentHashMap<>();

  private final Class<V> type;
  private final BinaryMessageEncoder<V> encoder;
  private final BinaryMessageDecoder<V> decoder;

  private EventCodec(Class<V> type) {
    this.type = Objects.requireNonNull(type, "type");
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    for (Schema old : SchemaHistory.versions(type)) {
      decoder.addSchema(old);
    }
  }

  /** The shared codec of a type (codecs are thread-safe). */
  @SuppressWarnings("unchecked")
  public static <V extends SpecificRecord> EventCodec<V> of(Class<V> type) {
    return (EventCodec<V>) CODECS.computeIfAbsent(type, t -> new EventCodec<>(type));
  }

  public Class<V> type() {
    return type;
  }

  public byte[] encode(V event) {
    try {
      ByteBuffer buf = encoder.encode(event);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException | AvroRuntimeException | NullPointerException e) {
      throw new IllegalArgumentException("cannot encode " + type.getSimpleName() + ": " + e, e);
    }
  }

  /**
   * Decodes bytes written by {@link #encode} with this or any recorded older schema.
   *
   * @throws InvalidEventException when the bytes are not such an event
   */
  public V decode(byte[] bytes) {
    if (bytes == null) {
      throw new InvalidEventException("empty record: expected " + type.getSimpleName(), null);
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new InvalidEventException(
          "not a " + type.getSimpleName() + " event (" + bytes.length + " bytes): " + describe(e),
          e);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
