package io.lifeboat.provider.redis;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The Redis component stream: a header line, then per key its name, its absolute expiry time
 * (milliseconds since the epoch, -1 for none: stable across dumps, unlike a remaining TTL) and its
 * DUMP payload (Redis's own serialization, checksummed by Redis), then an end marker with the key
 * count.
 */
final class KeyRecords {

  static final byte[] MAGIC = "LIFEBOAT-REDIS-1\n".getBytes(StandardCharsets.US_ASCII);

  /** One key. */
  record Key(byte[] name, long expireAtMs, byte[] payload) {}

  /** Writes records. */
  static final class Writer {
    private final DataOutputStream out;
    private long count;

    Writer(OutputStream out) throws IOException {
      this.out = new DataOutputStream(out);
      this.out.write(MAGIC);
    }

    void write(Key k) throws IOException {
      out.writeByte('K');
      out.writeInt(k.name().length);
      out.write(k.name());
      out.writeLong(k.expireAtMs());
      out.writeInt(k.payload().length);
      out.write(k.payload());
      count++;
    }

    long finish() throws IOException {
      out.writeByte('E');
      out.writeLong(count);
      out.flush();
      return count;
    }
  }

  /** Reads records; {@link #next()} returns null at the end marker. */
  static final class Reader {
    private final DataInputStream in;
    private long count;

    Reader(InputStream in) throws IOException {
      this.in = new DataInputStream(in);
      byte[] magic = this.in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a Lifeboat Redis stream");
      }
    }

    @Nullable Key next() throws IOException {
      int tag;
      try {
        tag = in.readUnsignedByte();
      } catch (EOFException e) {
        throw new IOException("Redis stream ends without its end marker");
      }
      if (tag == 'E') {
        long expected = in.readLong();
        if (expected != count) {
          throw new IOException(
              "Redis stream has " + count + " keys, its end marker says " + expected);
        }
        return null;
      }
      if (tag != 'K') {
        throw new IOException("damaged Redis stream (record tag " + tag + ")");
      }
      byte[] name = in.readNBytes(in.readInt());
      long expireAt = in.readLong();
      byte[] payload = in.readNBytes(in.readInt());
      count++;
      return new Key(name, expireAt, payload);
    }
  }

  private KeyRecords() {}
}
