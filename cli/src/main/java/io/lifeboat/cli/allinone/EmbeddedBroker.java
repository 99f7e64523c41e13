package io.lifeboat.cli.allinone;

import io.lifeboat.core.crypto.SecretFiles;
import io.lifeboat.stage.common.KafkaCredentials;
import io.lifeboat.stage.common.Principals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * The embedded default's broker: a real single-node KRaft Kafka (broker and controller in one) run
 * as a child JVM from the Kafka jars on our classpath, with its data under {@code
 * $LIFEBOAT_HOME/kafka}, so requests and events survive a restart. Its own JVM keeps its heap and
 * GC away from the stages, and it can be killed and restarted like a real cluster.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private final Path dir;
  private final Path credentialsDir;
  private final int port;
  private final int controllerPort;
  private @Nullable Process process;

  /**
   * @param dir the broker's folder (data, config, log), made owner-only
   * @param credentialsDir where each principal's client settings go, one owner-only file each
   */
  public EmbeddedBroker(Path dir, Path credentialsDir, int port, int controllerPort) {
    this.dir = dir;
    this.credentialsDir = credentialsDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** The client settings of a principal of this broker (see {@link Principals}). */
  public Map<String, Object> clientProperties(String principal) {
    Map<String, Object> props =
        new java.util.HashMap<>(KafkaCredentials.read(credentialsDir, principal));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  public Path credentialsDir() {
    return credentialsDir;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path logFile() {
    return dir.resolve("broker.log");
  }

  /** Formats storage on first use, starts the broker and waits until it answers. */
  public EmbeddedBroker start() throws IOException, InterruptedException {
    SecretFiles.createPrivateDirectories(dir);
    Files.createDirectories(dir.resolve("data"));
    killLeftover();
    if (listening(port) || listening(controllerPort)) {
      throw new IOException(
          "port "
              + port
              + " or "
              + controllerPort
              + " is already in use: another `lifeboat up`, or another Kafka?"
              + " Stop it, or set LIFEBOAT_KAFKA_PORT, or point at it with --bootstrap");
    }
    Path logConfig = writeLogConfig();
    boolean formatted = Files.exists(dir.resolve("data/meta.properties"));
    if (formatted && !Files.exists(dir.resolve(SASL_MARKER))) {
      // formatted by a version without authentication: its users cannot be added to it; keep it
      // aside
      Path aside = dir.resolve("data.pre-auth-" + System.currentTimeMillis());
      Files.move(dir.resolve("data"), aside);
      Files.createDirectories(dir.resolve("data"));
      formatted = false;
      System.err.println(
          "lifeboat: the broker's data predates Kafka authentication; moved to "
              + aside
              + " and starting a new broker (backups are in the repository and unaffected)");
    }
    Map<String, String> passwords = formatted ? readPasswords() : newCredentials();
    Path config = writeConfig(passwords);
    if (!formatted) {
      format(config, passwords);
    }
    stopping = false;
    process =
        java(logConfig, BrokerMain.class.getName(), config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
            .start();
    Files.writeString(dir.resolve("broker.pid"), Long.toString(process.pid()));
    // stopped with this JVM however it ends, even while still starting (Ctrl-C, SIGTERM)
    Process started = process;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // this JVM is ending: the broker's exit is expected, not a crash to recover from
                  stopping = true;
                  if (started.isAlive()) {
                    started.destroy();
                  }
                },
                "lifeboat-broker-stop"));
    awaitReady(started);
    if (formatted) {
      addMissingUsers();
    }
    return this;
  }

  /**
   * Principals added by a later version (a new service) get their SCRAM credentials on a broker
   * formatted before them: a new password, its owner-only file, and the user made through the admin
   * API.
   */
  private void addMissingUsers() throws IOException {
    List<String> missing =
        Principals.ALL.stream()
            .filter(p -> !Files.exists(KafkaCredentials.file(credentialsDir, p)))
            .toList();
    if (missing.isEmpty()) {
      return;
    }
    List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
    Map<String, String> passwords = new java.util.LinkedHashMap<>();
    for (String principal : missing) {
      String password = randomPassword();
      passwords.put(principal, password);
      users.add(
          new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
              principal,
              new org.apache.kafka.clients.admin.ScramCredentialInfo(
                  org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
              password));
    }
    try (Admin admin = Admin.create(clientProperties(Principals.ADMIN))) {
      admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(
          "cannot add the Kafka users " + missing + ": " + String.valueOf(e.getMessage()), e);
    }
    for (Map.Entry<String, String> e : passwords.entrySet()) {
      SecretFiles.create(
          KafkaCredentials.file(credentialsDir, e.getKey()),
          KafkaCredentials.scramProperties(e.getKey(), e.getValue()));
    }
  }

  private void awaitReady(Process started) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Map<String, Object> props = clientProperties(Principals.ADMIN);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        throw new IOException(
            "the broker exited with code " + started.exitValue() + "; see " + logFile());
      }
      if (listening(port)) {
        try (Admin admin = Admin.create(props)) {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          // not ready yet
        }
      }
      Thread.sleep(250);
    }
    close();
    throw new IOException("the broker did not become ready within 90 s; see " + logFile());
  }

  private ProcessBuilder java(Path logConfig, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv("LIFEBOAT_BROKER_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(List.of(opts.trim().split("\\s+")));
    } else {
      cmd.add("-Xmx768m");
      cmd.add("-XX:+UseG1GC");
      // Produce requests of 1-4 MiB chunks: keep them out of G1's humongous allocation path.
      cmd.add("-XX:G1HeapRegionSize=16m");
      // The broker's hot paths are memory copies, CRC32C and sendfile, all fast without C2;
      // C1 only saves it seconds of compiling on small machines.
      cmd.add("-XX:TieredStopAtLevel=1");
    }
    cmd.add("-Dlogback.configurationFile=" + logConfig);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile());
  }

  /** New random passwords for every principal, their client settings written owner-only. */
  private Map<String, String> newCredentials() throws IOException {
    SecretFiles.createPrivateDirectories(credentialsDir);
    Map<String, String> passwords = new java.util.LinkedHashMap<>();
    for (String principal : Principals.ALL) {
      String password = randomPassword();
      passwords.put(principal, password);
      Path file = KafkaCredentials.file(credentialsDir, principal);
      Files.deleteIfExists(file);
      SecretFiles.create(file, KafkaCredentials.scramProperties(principal, password));
    }
    passwords.put(CONTROLLER, randomPassword());
    Path controller = dir.resolve("controller.password");
    Files.deleteIfExists(controller);
    SecretFiles.create(controller, passwords.get(CONTROLLER) + "\n");
    return passwords;
  }

  /** The passwords the broker itself needs: its own and the controller listener's. */
  private Map<String, String> readPasswords() throws IOException {
    Map<String, String> passwords = new java.util.LinkedHashMap<>();
    String jaas = KafkaCredentials.read(credentialsDir, Principals.BROKER).get("sasl.jaas.config");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("password=\"([^\"]*)\"").matcher(String.valueOf(jaas));
    if (!m.find()) {
      throw new IOException(
          "no password in " + KafkaCredentials.file(credentialsDir, Principals.BROKER));
    }
    passwords.put(Principals.BROKER, m.group(1));
    passwords.put(CONTROLLER, Files.readString(dir.resolve("controller.password")).strip());
    return passwords;
  }

  /**
   * Formats the storage with every principal's SCRAM credentials. In this JVM, not a child process:
   * the passwords must not appear on a command line, which every local user can read.
   */
  private void format(Path config, Map<String, String> passwords) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
    for (String principal : Principals.ALL) {
      args.add("--add-scram");
      args.add("SCRAM-SHA-512=[name=" + principal + ",password=" + passwords.get(principal) + "]");
    }
    try (java.io.PrintStream log =
        new java.io.PrintStream(
            Files.newOutputStream(
                logFile(),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND),
            true,
            StandardCharsets.UTF_8)) {
      int exit = kafka.tools.StorageTool.execute(args.toArray(String[]::new), log);
      if (exit != 0) {
        throw new IOException(
            "formatting the broker's storage failed (" + exit + "); see " + logFile());
      }
    } catch (RuntimeException e) {
      throw new IOException(
          "formatting the broker's storage failed: " + e.getMessage() + "; see " + logFile(), e);
    }
    Files.writeString(dir.resolve(SASL_MARKER), "formatted with SCRAM users\n");
  }

  private static String randomPassword() {
    byte[] b = new byte[24];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** The controller listener's own user (PLAIN: SCRAM users do not exist yet when it starts). */
  private static final String CONTROLLER = "controller";

  /** Written once the storage was formatted with the SCRAM users. */
  private static final String SASL_MARKER = "data/.lifeboat-sasl";

  /** The broker's configuration; it holds passwords, so it is owner-only. */
  private Path writeConfig(Map<String, String> passwords) throws IOException {
    String scram =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + Principals.BROKER
            + "\" password=\""
            + passwords.get(Principals.BROKER)
            + "\";";
    String plain =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + CONTROLLER
            + "\" password=\""
            + passwords.get(CONTROLLER)
            + "\" user_"
            + CONTROLLER
            + "=\""
            + passwords.get(CONTROLLER)
            + "\";";
    String text =
        String.join(
            "\n",
            "# Written by lifeboat up: a single-node KRaft broker for the embedded default.",
            "# Every client authenticates (SCRAM-SHA-512) and is allowed only what its role needs (ACLs).",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=SASL_PLAINTEXT://127.0.0.1:"
                + port
                + ",CONTROLLER://127.0.0.1:"
                + controllerPort,
            "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
            "inter.broker.listener.name=SASL_PLAINTEXT",
            "sasl.enabled.mechanisms=SCRAM-SHA-512",
            "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + scram,
            "sasl.mechanism.controller.protocol=PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
            "listener.name.controller.plain.sasl.jaas.config=" + plain,
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users=User:"
                + Principals.BROKER
                + ";User:"
                + CONTROLLER
                + ";User:"
                + Principals.ADMIN,
            "allow.everyone.if.no.acl.found=false",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=3",
            "num.network.threads=2",
            "num.io.threads=2",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "message.max.bytes=17825792",
            "replica.fetch.max.bytes=17825792",
            "broker.session.timeout.ms=2000",
            "broker.heartbeat.interval.ms=500",
            "log.retention.check.interval.ms=10000",
            "");
    Path file = dir.resolve("server.properties");
    Files.deleteIfExists(file);
    SecretFiles.create(file, text);
    return file;
  }

  private Path writeLogConfig() throws IOException {
    Path file = dir.resolve("broker-logback.xml");
    Files.writeString(
        file,
        "<configuration>\n"
            + "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
            + "    <encoder><pattern>%d{ISO8601} %-5level %logger{30} - %msg%n</pattern></encoder>\n"
            + "  </appender>\n"
            + "  <logger name=\"kafka.server.KafkaServer\" level=\"INFO\"/>\n"
            + "  <logger name=\"kafka.server.KafkaRaftServer\" level=\"INFO\"/>\n"
            + "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>\n"
            + "</configuration>\n");
    return file;
  }

  /** A broker left running by a `lifeboat up` that was killed: stop it before starting anew. */
  private void killLeftover() throws IOException, InterruptedException {
    Path pidFile = dir.resolve("broker.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      var handle = ProcessHandle.of(pid);
      if (handle.isPresent()
          && handle
              .get()
              .info()
              .commandLine()
              .map(
                  c ->
                      (c.contains("kafka.Kafka") || c.contains(BrokerMain.class.getName()))
                          && c.contains(dir.toString()))
              .orElse(false)) {
        handle.get().destroy();
        handle.get().onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (NumberFormatException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      // not ours, or gone
    }
    Files.deleteIfExists(pidFile);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Set while this object stops the broker: an exit then is no crash. */
  private volatile boolean stopping;

  /** Stops the broker cleanly (SIGTERM), forcibly after 30 s. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    stopping = true;
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(dir.resolve("broker.pid"));
    } catch (IOException ignored) {
      // harmless
    }
    process = null;
  }

  /**
   * Runs {@code action} when the broker process ends by itself (a crash, kill -9), not when {@link
   * #close()} stops it.
   */
  public void onCrash(Runnable action) {
    Process p = process;
    if (p != null) {
      p.onExit()
          .thenRun(
              () -> {
                if (!stopping && process == p) {
                  action.run();
                }
              });
    }
  }

  /** Whether the broker process is running. */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The broker process's id, or -1 when it is not running. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** Kills the broker without a clean shutdown (for crash tests). */
  public void kill() throws InterruptedException {
    if (process != null) {
      stopping = true;
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }
}
