package io.lifeboat.cli.allinone;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.crypto.SecretFiles;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryNotFoundException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.recovery.CoordinatorConfiguration;
import io.lifeboat.stage.common.KafkaAcls;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.TopicProvisioner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default: a key (generated on first start), a repository, a broker (embedded, or an
 * existing cluster) and every stage with the catalog API, in this JVM.
 */
public final class AllInOne implements AutoCloseable {

  /**
   * How to start.
   *
   * @param home LIFEBOAT_HOME
   * @param repository repository location
   * @param keyFile master key file (generated when missing, unless LIFEBOAT_MASTER_KEY is set)
   * @param kafkaPort port of the embedded broker
   * @param apiPort catalog API port (0 picks a free one)
   * @param externalBootstrap an existing Kafka to use instead of the embedded broker, or null
   * @param extraProperties more Spring properties (tests tune timeouts with these)
   * @param replicas replica locations (copies of the repository)
   */
  public record Options(
      Path home,
      String repository,
      java.util.List<String> replicas,
      Path keyFile,
      int kafkaPort,
      int apiPort,
      @Nullable String externalBootstrap,
      Map<String, Object> extraProperties) {}

  private final @Nullable EmbeddedBroker broker;
  private final ConfigurableApplicationContext context;
  private final String bootstrapServers;

  private AllInOne(
      @Nullable EmbeddedBroker broker,
      ConfigurableApplicationContext context,
      String bootstrapServers) {
    this.broker = broker;
    this.context = context;
    this.bootstrapServers = bootstrapServers;
  }

  public static AllInOne start(Options o, PrintStream out) throws Exception {
    SecretFiles.createPrivateDirectories(o.home());
    MasterKey key = ensureKey(o.keyFile(), out);
    ensureCommandKey(o.home());
    ensureRepository(o.repository(), o.replicas(), key, out);
    EmbeddedBroker broker = null;
    String bootstrap = o.externalBootstrap();
    if (bootstrap == null) {
      out.println(
          "starting the embedded Kafka broker (KRaft) on 127.0.0.1:" + o.kafkaPort() + " ...");
      broker =
          new EmbeddedBroker(
                  o.home().resolve("kafka"),
                  credentialsDir(o.home()),
                  o.kafkaPort(),
                  o.kafkaPort() + 1)
              .start();
      bootstrap = broker.bootstrapServers();
    }
    try {
      Map<String, Object> props = new HashMap<>();
      if (broker != null) {
        // topics and ACLs as the administrator; then every service authenticates as itself
        prepare(broker, o.extraProperties());
        props.put("lifeboat.kafka.credentials-dir", broker.credentialsDir().toString());
        props.put("lifeboat.kafka.provision-topics", "false");
      }
      props.put("lifeboat.home", o.home().toString());
      props.put("lifeboat.kafka.bootstrap-servers", bootstrap);
      props.put("lifeboat.repository.location", o.repository());
      props.put("lifeboat.repository.key-file", o.keyFile().toString());
      props.put("lifeboat.repository.replicas", String.join(",", o.replicas()));
      props.put("server.port", o.apiPort());
      props.put("server.address", System.getenv().getOrDefault("LIFEBOAT_API_BIND", "127.0.0.1"));
      props.put("spring.main.banner-mode", "off");
      props.put("lifeboat.api.token", ensureApiToken(o.home()));
      if (rolesMode(o.extraProperties())) {
        ensureTokensFile(o.home()); // the command line on this host then sends through the API
      }
      props.putAll(o.extraProperties());
      out.println("starting the stages and the catalog ...");
      // As command-line arguments: they outrank every other property source, so the stages'
      // built-in defaults cannot override what the user chose.
      String[] args =
          props.entrySet().stream()
              .map(e -> "--" + e.getKey() + "=" + e.getValue())
              .toArray(String[]::new);
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(AllInOneApplication.class)
              // the owner closes it (up's bounded shutdown hook, demo's finally): a second hook
              // racing that one could hold the JVM open on a broker that is gone
              .registerShutdownHook(false)
              .run(args);
      return new AllInOne(broker, context, bootstrap);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /**
   * For {@code up}: a broker that dies under it (a crash, an OOM, kill -9) is started again on the
   * same data, up to three times; the clients reconnect by themselves. If it cannot be started, the
   * process exits 1 with the reason instead of running on without Kafka (so never call this in a
   * process that must not exit, such as a test).
   */
  public void superviseBroker(PrintStream out) {
    if (broker != null) {
      superviseBroker(broker, out);
    }
  }

  private static void superviseBroker(EmbeddedBroker broker, PrintStream out) {
    java.util.concurrent.atomic.AtomicInteger restarts =
        new java.util.concurrent.atomic.AtomicInteger();
    Runnable[] onCrash = new Runnable[1];
    onCrash[0] =
        () -> {
          int n = restarts.incrementAndGet();
          System.err.println(
              "lifeboat: the embedded Kafka broker exited unexpectedly (see "
                  + broker.logFile()
                  + "); "
                  + (n <= 3 ? "starting it again (" + n + " of 3)" : "giving up"));
          if (n > 3) {
            System.err.println("lifeboat: stopping: the embedded broker keeps failing");
            System.exit(1);
          }
          try {
            broker.start();
            broker.onCrash(onCrash[0]);
            out.println(
                "the embedded Kafka broker is running again on " + broker.bootstrapServers());
          } catch (Exception e) {
            System.err.println(
                "lifeboat: stopping: the embedded broker could not be started again: "
                    + e.getMessage());
            System.exit(1);
          }
        };
    broker.onCrash(onCrash[0]);
  }

  /**
   * Where the embedded broker's principals' client settings are: {@code
   * $LIFEBOAT_HOME/kafka-credentials}.
   */
  public static Path credentialsDir(Path home) {
    return home.resolve("kafka-credentials");
  }

  /** Creates the topics and grants each principal what its role needs (idempotent). */
  private static void prepare(EmbeddedBroker broker, Map<String, Object> extra) throws Exception {
    LifeboatProperties.Kafka admin =
        new LifeboatProperties.Kafka(
            broker.bootstrapServers(),
            (short) 1,
            Map.of(),
            broker.credentialsDir().toString(),
            true);
    KafkaClients clients = new KafkaClients(admin).as(Principals.ADMIN);
    TopicProvisioner.ensureTopics(clients, 60);
    String catalogAppId =
        String.valueOf(extra.getOrDefault("lifeboat.catalog.application-id", "lifeboat-catalog"));
    String coordinatorAppId =
        String.valueOf(
            extra.getOrDefault(
                "lifeboat.recovery.coordinator.application-id", "lifeboat-recovery-coordinator"));
    String schedulerAppId =
        String.valueOf(
            extra.getOrDefault("lifeboat.scheduler.application-id", "lifeboat-scheduler"));
    try (org.apache.kafka.clients.admin.Admin a =
        org.apache.kafka.clients.admin.Admin.create(clients.common())) {
      boolean roles = rolesMode(extra);
      KafkaAcls.apply(
          a,
          KafkaAcls.bindings(catalogAppId, coordinatorAppId, schedulerAppId, roles),
          KafkaAcls.obsolete(catalogAppId, coordinatorAppId, schedulerAppId, roles),
          java.time.Duration.ofSeconds(60));
    }
  }

  /** Roles mode, from the options given to up, else the environment (LIFEBOAT_AUTH_MODE). */
  static boolean rolesMode(Map<String, Object> extra) {
    Object mode = extra.get("lifeboat.auth.mode");
    String m = mode != null ? String.valueOf(mode) : System.getenv("LIFEBOAT_AUTH_MODE");
    return m != null && m.strip().equalsIgnoreCase("roles");
  }

  /**
   * The key the coordinator signs recovery step commands with and the executor checks them by
   * ({@code $LIFEBOAT_HOME/recovery-command.key}), made on first use.
   */
  public static Path ensureCommandKey(Path home) throws IOException {
    Path file = home.resolve(CoordinatorConfiguration.COMMAND_KEY_FILE);
    SecretFiles.ensureRandomKey(
        file,
        "Lifeboat recovery command key: the coordinator signs recovery steps with it, the executors"
            + " run only signed ones.\nGive it to the coordinator and the dump stage (executor) only.");
    return file;
  }

  /**
   * The key from LIFEBOAT_MASTER_KEY, else the key file, generated (with a warning) when missing.
   */
  public static MasterKey ensureKey(Path keyFile, PrintStream out) throws IOException {
    java.util.Optional<MasterKey> found = MasterKey.find(keyFile);
    if (found.isPresent()) {
      return found.get();
    }
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    out.println();
    out.println("  !! A new master key was generated: " + keyFile);
    out.println("  !! Every backup is encrypted with it. Without it NOTHING can be restored.");
    out.println(
        "  !! Keep a copy away from this machine and its storage (a password manager or vault).");
    out.println();
    return key;
  }

  /**
   * Roles mode: {@code $LIFEBOAT_HOME/api-tokens} exists (owner-only) from the first start, before
   * any {@code lifeboat token add}; its presence tells the command line that roles are on.
   */
  static void ensureTokensFile(Path home) throws IOException {
    Path file = home.resolve("api-tokens");
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.writeString(
          Files.createFile(
              file,
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))),
          "# named API tokens (lifeboat token add NAME --role viewer|operator|admin)\n");
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // another start made it
    }
  }

  /**
   * The token that API calls which change something must carry: LIFEBOAT_API_TOKEN, else the file
   * {@code $LIFEBOAT_HOME/api-token} (owner-only), generated on first start.
   */
  public static String ensureApiToken(Path home) throws IOException {
    String env = System.getenv("LIFEBOAT_API_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    Path file = home.resolve("api-token");
    if (Files.exists(file) && !Files.readString(file).isBlank()) {
      return Files.readString(file).strip();
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = java.util.HexFormat.of().formatHex(random);
    // written whole or not at all: a half-written file must not leave an empty token behind
    Path tmp =
        Files.createTempFile(
            home,
            ".api-token",
            ".tmp",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, token + "\n");
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return token;
  }

  /** Opens the repository, creating it on first use, and makes each replica a copy of it. */
  public static void ensureRepository(
      String location, java.util.List<String> replicas, MasterKey key, PrintStream out)
      throws Exception {
    Backend backend = BackendRegistry.standard().open(location);
    try {
      Repository.open(backend, key);
    } catch (RepositoryNotFoundException e) {
      // A primary that came back empty must rejoin the repository its replicas hold, not start a
      // new one (whose keys could not open what repair would copy back).
      String adopted = null;
      for (String r : replicas) {
        try {
          Backend replica = BackendRegistry.standard().open(r);
          Repository.readConfig(replica);
          Repository.initReplica(replica, backend);
          adopted = replica.location();
          break;
        } catch (RepositoryNotFoundException | io.lifeboat.core.storage.StorageException notThere) {
          // try the next replica
        }
      }
      if (adopted != null) {
        Repository.open(backend, key);
        out.println(
            "the primary "
                + backend.location()
                + " was empty: it rejoined the repository held by "
                + adopted
                + "; backups are copied back by the repairer or `lifeboat replicate --repair`");
      } else {
        Repository.init(backend, key, ChunkerParams.defaults(new SecureRandom().nextLong()));
        out.println("created repository " + backend.location());
      }
    }
    for (String r : replicas) {
      Backend replica = BackendRegistry.standard().open(r);
      try {
        if (Repository.initReplica(backend, replica)) {
          out.println("made " + replica.location() + " a replica of " + backend.location());
        }
      } catch (io.lifeboat.core.storage.StorageException ex) {
        out.println(
            "warning: replica "
                + replica.location()
                + " is not reachable now ("
                + ex.getMessage()
                + "); it will be brought up to date when it is");
      }
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String apiUrl() {
    String port = context.getEnvironment().getProperty("local.server.port");
    return "http://127.0.0.1:" + port;
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  /** The embedded broker; null when an external Kafka is used. */
  public @Nullable EmbeddedBroker broker() {
    return broker;
  }

  /** Stops the broker at once (when a clean stop takes too long). */
  public void killBroker() {
    if (broker != null) {
      try {
        broker.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
