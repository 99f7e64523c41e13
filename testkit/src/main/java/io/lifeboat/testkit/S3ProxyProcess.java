package io.lifeboat.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real S3 API server for tests and benchmarks: s3proxy's self-contained jar run as its own
 * process (its Jetty 11 and Servlet 5 cannot share a JVM with Spring Boot's Tomcat), with in-memory
 * storage (empty at every start) or a folder. Stands for one cloud region; start two for two.
 */
public final class S3ProxyProcess implements AutoCloseable {

  /** Access key and secret every instance accepts. */
  public static final String IDENTITY = "lifeboat-test";

  public static final String CREDENTIAL = "lifeboat-test-secret";

  private final Process process;
  private final int port;

  private S3ProxyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The jar, from the system property lifeboat.test.s3proxy.jar (copied there by the build). */
  public static @Nullable Path jar() {
    String p = System.getProperty("lifeboat.test.s3proxy.jar");
    return p == null ? null : Path.of(p);
  }

  /**
   * Starts an instance.
   *
   * @param dataDir where objects live (filesystem store), or null for memory
   */
  public static S3ProxyProcess start(Path jar, int port, Path dataDir)
      throws IOException, InterruptedException {
    Path conf = Files.createTempFile("s3proxy-", ".conf");
    StringBuilder c =
        new StringBuilder()
            .append("s3proxy.endpoint=http://127.0.0.1:")
            .append(port)
            .append('\n')
            .append("s3proxy.authorization=aws-v2-or-v4\n")
            .append("s3proxy.identity=")
            .append(IDENTITY)
            .append('\n')
            .append("s3proxy.credential=")
            .append(CREDENTIAL)
            .append('\n')
            .append("jclouds.identity=local\njclouds.credential=local\n");
    if (dataDir == null) {
      c.append("jclouds.provider=transient\n");
    } else {
      Files.createDirectories(dataDir);
      c.append("jclouds.provider=filesystem\njclouds.filesystem.basedir=")
          .append(dataDir)
          .append('\n');
    }
    Files.writeString(conf, c);
    Path log = Files.createTempFile("s3proxy-", ".log");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString(),
                    "--properties",
                    conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Eventually.until(
          "s3proxy to listen on port " + port + " (log: " + log + ")",
          Duration.ofSeconds(60),
          () -> {
            if (!p.isAlive()) {
              throw new AssertionError("s3proxy exited with " + p.exitValue() + "; see " + log);
            }
            return FreePorts.listening("127.0.0.1", port);
          });
    } catch (AssertionError e) {
      p.destroyForcibly();
      throw new IOException("s3proxy did not start: " + e.getMessage());
    }
    return new S3ProxyProcess(p, port);
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
