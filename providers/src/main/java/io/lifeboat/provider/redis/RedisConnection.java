package io.lifeboat.provider.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A small, binary-safe RESP2 client: commands, pipelining, errors as exceptions. Enough for
 * SCAN/DUMP/RESTORE; no dependency to drag in.
 */
final class RedisConnection implements AutoCloseable {

  /** An error reply from the server. */
  static final class RedisError extends IOException {
    private static final long serialVersionUID = 1L;

    RedisError(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String where;

  private RedisConnection(Socket socket, String where) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    this.where = where;
  }

  /** Connects, authenticates and selects the database; errors name the server, not the password. */
  static RedisConnection open(RedisUri uri) throws IOException {
    Socket s = new Socket();
    String where = uri.host() + ":" + uri.port();
    try {
      s.connect(new InetSocketAddress(uri.host(), uri.port()), 5000);
      s.setSoTimeout(60_000);
      s.setTcpNoDelay(true);
    } catch (ConnectException | SocketTimeoutException e) {
      s.close();
      throw new IOException("cannot connect to redis at " + where + ": " + e.getMessage());
    } catch (IOException e) {
      s.close();
      throw new IOException("cannot connect to redis at " + where + ": " + e, e);
    }
    RedisConnection c = new RedisConnection(s, where);
    try {
      if (uri.password() != null) {
        if (uri.user() != null) {
          c.call("AUTH", uri.user(), uri.password());
        } else {
          c.call("AUTH", uri.password());
        }
      }
      c.call("SELECT", Integer.toString(uri.db()));
      return c;
    } catch (RedisError e) {
      c.close();
      String m = String.valueOf(e.getMessage());
      if (m.startsWith("NOAUTH") || m.startsWith("WRONGPASS") || m.contains("AUTH")) {
        throw new IOException("redis at " + where + " refused the credentials: " + m);
      }
      throw new IOException("redis at " + where + ": " + m);
    }
  }

  @Nullable Object call(String... args) throws IOException {
    send(args);
    return read();
  }

  @Nullable Object call(byte[]... args) throws IOException {
    send(args);
    return read();
  }

  void send(String... args) throws IOException {
    byte[][] b = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      b[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    send(b);
  }

  /** Queues a command (call {@link #flush()} then {@link #read()} once per command sent). */
  void send(byte[]... args) throws IOException {
    out.write('*');
    out.write(Integer.toString(args.length).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
    for (byte[] a : args) {
      out.write('$');
      out.write(Integer.toString(a.length).getBytes(StandardCharsets.US_ASCII));
      out.write('\r');
      out.write('\n');
      out.write(a);
      out.write('\r');
      out.write('\n');
    }
  }

  void flush() throws IOException {
    out.flush();
  }

  /** Reads one reply: String (status), Long, byte[] (bulk, null when absent) or List. */
  @Nullable Object read() throws IOException {
    out.flush();
    int type = in.read();
    if (type < 0) {
      throw new IOException("redis at " + where + " closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisError(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] b = in.readNBytes(n);
          if (b.length != n || in.read() != '\r' || in.read() != '\n') {
            throw new IOException("redis at " + where + ": truncated reply");
          }
          return b;
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read());
          }
          return items;
        }
      default:
        throw new IOException("redis at " + where + ": unexpected reply type " + (char) type);
    }
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("redis at " + where + " closed the connection");
      }
      b.append((char) c);
    }
    in.read();
    return b.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
