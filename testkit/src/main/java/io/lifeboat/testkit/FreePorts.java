package io.lifeboat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Ports for servers a test starts. */
public final class FreePorts {

  private FreePorts() {}

  public static int next() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A free port whose next port is free too (a Kafka broker and its controller), taken below the
   * ephemeral range (32768 and up on Linux): ports there are also handed to the outgoing
   * connections of the running tests, so a port found free may be taken a moment later.
   */
  public static synchronized int pair() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = 20_000 + 2 * random.nextInt(6_000); // 20000..31998
      if (bindable(p) && bindable(p + 1)) {
        return p;
      }
    }
    throw new IllegalStateException("no two free neighbouring ports found between 20000 and 32000");
  }

  /** A free port below the ephemeral range (see {@link #pair()}). */
  public static synchronized int stable() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = 20_000 + 2 * random.nextInt(6_000) + 1; // odd: never a pair's first port
      if (bindable(p) && bindable(p - 1)) { // and not the controller port of a pair's broker
        return p;
      }
    }
    throw new IllegalStateException("no free port found between 20000 and 32000");
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static boolean listening(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
