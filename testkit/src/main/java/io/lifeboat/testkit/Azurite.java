package io.lifeboat.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Azurite, Microsoft's Azure Storage emulator, serving Blob storage from memory as a child process
 * on a free port, for tests of code that talks to Azure Blob Storage over real HTTP.
 *
 * <p>Azurite comes from npm; {@link #start()} installs the pinned version once into {@code
 * ~/.cache/lifeboat-test/azurite/<version>} (override the root with the system property {@code
 * lifeboat.test.cache}), so CI downloads it once per machine. It runs {@code node} on Azurite's
 * blob entry point directly — not {@code npx}, whose node child would outlive it — and {@link
 * #close()} ends that process. A shutdown hook ends it too if a test run forgets. 3.35.0 is the
 * last Azurite that runs on Node 20.
 */
public final class Azurite implements AutoCloseable {

  public static final String VERSION = "3.35.0";

  /** The emulator's well-known development account and its published key (not a secret). */
  public static final String ACCOUNT = "devstoreaccount1";

  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final String MAIN = "node_modules/azurite/dist/src/blob/main.js";

  private final Process process;
  private final int port;
  private final Path workDir;
  private final Thread reaper;

  private Azurite(Process process, int port, Path workDir) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.reaper = new Thread(process::destroyForcibly, "azurite-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Why Azurite cannot run on this machine, or empty when node and npm (or a cached install) exist.
   */
  public static Optional<String> unavailable() {
    if (executable("node").isEmpty()) {
      return Optional.of("no node executable on PATH");
    }
    if (!Files.isRegularFile(installDir().resolve(MAIN)) && executable("npm").isEmpty()) {
      return Optional.of(
          "Azurite is not installed in " + installDir() + " and there is no npm on PATH");
    }
    return Optional.empty();
  }

  /** Installs Azurite if needed and starts it; waits until its port accepts connections. */
  public static Azurite start() throws IOException, InterruptedException {
    Path main = install();
    Path node = executable("node").orElseThrow(() -> new IOException("no node executable on PATH"));
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = FreePorts.next();
      Path work = Files.createTempDirectory("azurite-");
      Path log = work.resolve("azurite.log");
      Process p =
          new ProcessBuilder(
                  node.toString(),
                  main.toString(),
                  "--silent",
                  "--inMemoryPersistence",
                  "--disableTelemetry",
                  "--skipApiVersionCheck",
                  "--blobHost",
                  "127.0.0.1",
                  "--blobPort",
                  Integer.toString(port))
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Azurite azurite = new Azurite(p, port, work);
      try {
        Eventually.until(
            "Azurite to listen on port " + port,
            Duration.ofSeconds(60),
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError("Azurite exited");
              }
              return FreePorts.listening("127.0.0.1", port);
            });
        return azurite;
      } catch (AssertionError notStarted) {
        // the log says why; an address in use is tried again on another port
      }
      String output = Files.exists(log) ? Files.readString(log) : "";
      azurite.close();
      last = new IOException("Azurite did not start on port " + port + ": " + tail(output));
      if (!output.contains("EADDRINUSE")) {
        break;
      }
    }
    throw last;
  }

  /** The blob service URL of the development account, path style. */
  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  public int port() {
    return port;
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + KEY
        + ";BlobEndpoint="
        + endpoint()
        + ";";
  }

  /** Ends the node process and waits for it; removes its working folder. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    deleteTree(workDir);
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  static Path installDir() {
    String root = System.getProperty("lifeboat.test.cache");
    Path base =
        root != null && !root.isBlank()
            ? Path.of(root)
            : Path.of(System.getProperty("user.home"), ".cache", "lifeboat-test");
    return base.resolve("azurite").resolve(VERSION);
  }

  /** npm-installs the pinned Azurite once; concurrent test JVMs take turns on a lock file. */
  private static Path install() throws IOException, InterruptedException {
    Path dir = installDir();
    Path main = dir.resolve(MAIN);
    if (Files.isRegularFile(main)) {
      return main;
    }
    Path parent = Objects.requireNonNull(dir.getParent()); // installDir() is .../azurite/VERSION
    Files.createDirectories(parent);
    Path lockFile = parent.resolve(VERSION + ".lock");
    try (FileChannel ch =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      if (Files.isRegularFile(main)) {
        return main;
      }
      Path npm =
          executable("npm").orElseThrow(() -> new IOException("no npm on PATH to install Azurite"));
      Path tmp = Files.createTempDirectory(parent, VERSION + ".tmp-");
      Path log = tmp.resolve("npm-install.log");
      Process p =
          new ProcessBuilder(
                  npm.toString(),
                  "install",
                  "--prefix",
                  tmp.toString(),
                  "--no-audit",
                  "--no-fund",
                  "--no-update-notifier",
                  "azurite@" + VERSION)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("npm install azurite@" + VERSION + " took over 10 minutes");
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(tmp.resolve(MAIN))) {
        String output = Files.readString(log);
        deleteTree(tmp);
        throw new IOException("npm install azurite@" + VERSION + " failed: " + tail(output));
      }
      deleteTree(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      return main;
    }
  }

  private static Optional<Path> executable(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String tail(String s) {
    return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
      for (Path f : all) {
        Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
