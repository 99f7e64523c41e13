package io.lifeboat.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where things are, shared by every command: option, else environment variable, else default.
 * {@code LIFEBOAT_HOME} (default ~/.lifeboat) holds the repository, the key file, the embedded
 * broker's data and the catalog state.
 */
public final class CliSettings {

  @Option(names = "--home", description = "Lifeboat home (env LIFEBOAT_HOME, default ~/.lifeboat)")
  String home;

  @Option(
      names = "--bootstrap",
      description = "Kafka bootstrap servers (env LIFEBOAT_BOOTSTRAP, default 127.0.0.1:9092)")
  String bootstrap;

  @Option(
      names = "--api",
      description = "Catalog API URL (env LIFEBOAT_API, default http://127.0.0.1:8080)")
  String api;

  @Option(
      names = "--repo",
      description =
          "Repository location (env LIFEBOAT_REPOSITORY, default $LIFEBOAT_HOME/repository)")
  String repo;

  @Option(
      names = "--replica",
      description = "A replica location, repeatable (env LIFEBOAT_REPLICAS, comma-separated)")
  java.util.List<String> replica;

  @Option(
      names = "--key-file",
      description =
          "Master key file (env LIFEBOAT_KEY_FILE, default $LIFEBOAT_HOME/key); env LIFEBOAT_MASTER_KEY overrides it")
  String keyFile;

  @Option(
      names = "--kafka-port",
      description =
          "Port of the embedded broker (env LIFEBOAT_KAFKA_PORT, default 9092; the controller uses the next one)")
  Integer kafkaPort;

  @Option(
      names = "--api-port",
      description = "Port of the catalog API (env LIFEBOAT_API_PORT, default 8080)")
  Integer apiPort;

  @Option(
      names = "--token-file",
      description =
          "File holding the API token to send (env LIFEBOAT_TOKEN_FILE; or env LIFEBOAT_TOKEN; default $LIFEBOAT_HOME/api-token)")
  String tokenFile;

  static @Nullable String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v;
  }

  /**
   * The token API calls send: --token-file (env LIFEBOAT_TOKEN_FILE), else env LIFEBOAT_TOKEN (a
   * named token, lifeboat token add), else LIFEBOAT_API_TOKEN, else the file {@code
   * $LIFEBOAT_HOME/api-token} when this user can read it; null when there is none (reads then go
   * without, as single mode allows).
   */
  public @Nullable String apiToken() {
    String f = tokenFile != null ? tokenFile : env("LIFEBOAT_TOKEN_FILE");
    if (f != null) {
      try {
        return java.nio.file.Files.readString(Path.of(f)).strip();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read the token file " + f + ": " + e);
      }
    }
    String t = env("LIFEBOAT_TOKEN");
    if (t == null) {
      t = env("LIFEBOAT_API_TOKEN");
    }
    if (t != null) {
      return t.strip();
    }
    Path file = home().resolve("api-token");
    try {
      if (java.nio.file.Files.isReadable(file)) {
        String s = java.nio.file.Files.readString(file).strip();
        return s.isEmpty() ? null : s;
      }
    } catch (java.io.IOException e) {
      return null;
    }
    return null;
  }

  /**
   * Whether requests go through the API (signed with the caller's token) instead of straight onto
   * Kafka: when the services check roles (env LIFEBOAT_AUTH_MODE=roles, or this home has named
   * tokens), or when a named token was given (--token-file, LIFEBOAT_TOKEN_FILE, LIFEBOAT_TOKEN).
   */
  public boolean viaApi() {
    String mode = env("LIFEBOAT_AUTH_MODE");
    return (mode != null && mode.strip().equalsIgnoreCase("roles"))
        || tokenFile != null
        || env("LIFEBOAT_TOKEN_FILE") != null
        || env("LIFEBOAT_TOKEN") != null
        || java.nio.file.Files.exists(home().resolve("api-tokens")); // roles are in use here
  }

  /** How this command's requests are sent: through the API when {@link #viaApi()}, else Kafka. */
  public io.lifeboat.client.@Nullable RequestSender requestSender() {
    return viaApi() ? new io.lifeboat.client.ApiRequestSender(api(), apiToken()) : null;
  }

  /** A backup client that sends its requests as {@link #requestSender()} says. */
  public io.lifeboat.client.BackupManager backups(
      io.lifeboat.core.crypto.@Nullable MasterKey credentialKey) {
    return new io.lifeboat.client.BackupManager(bootstrap(), kafkaProperties(), credentialKey)
        .sendingThrough(requestSender());
  }

  /** A recovery client that sends its requests as {@link #requestSender()} says. */
  public io.lifeboat.client.RecoveryManager recoveries() {
    return new io.lifeboat.client.RecoveryManager(bootstrap(), kafkaProperties())
        .sendingThrough(requestSender());
  }

  public Path home() {
    String h = home != null ? home : env("LIFEBOAT_HOME");
    return Path.of(h != null ? h : System.getProperty("user.home") + "/.lifeboat")
        .toAbsolutePath()
        .normalize();
  }

  public int kafkaPort() {
    if (kafkaPort != null) {
      return kafkaPort;
    }
    String p = env("LIFEBOAT_KAFKA_PORT");
    return p != null ? Integer.parseInt(p) : 9092;
  }

  public int apiPort() {
    if (apiPort != null) {
      return apiPort;
    }
    String p = env("LIFEBOAT_API_PORT");
    return p != null ? Integer.parseInt(p) : 8080;
  }

  public String bootstrap() {
    String b = bootstrap != null ? bootstrap : env("LIFEBOAT_BOOTSTRAP");
    return b != null ? b : "127.0.0.1:" + kafkaPort();
  }

  /**
   * Kafka client settings of the command line: the embedded default's {@code lifeboat-cli}
   * credentials in the home, when there are any (so only the home's owner can use them).
   */
  public java.util.Map<String, Object> kafkaProperties() {
    java.util.Map<String, Object> props = new java.util.HashMap<>();
    // LIFEBOAT_KAFKA_CLIENT_SASL_MECHANISM=PLAIN is sasl.mechanism=PLAIN, as for the services
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("LIFEBOAT_KAFKA_CLIENT_") && k.length() > 22) {
                props.put(k.substring(22).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
              }
            });
    java.nio.file.Path dir = io.lifeboat.cli.allinone.AllInOne.credentialsDir(home());
    if (java.nio.file.Files.isRegularFile(
        io.lifeboat.stage.common.KafkaCredentials.file(
            dir, io.lifeboat.stage.common.Principals.CLI))) {
      props.putAll(
          io.lifeboat.stage.common.KafkaCredentials.read(
              dir, io.lifeboat.stage.common.Principals.CLI));
    }
    return props;
  }

  public String api() {
    String a = api != null ? api : env("LIFEBOAT_API");
    return a != null ? a : "http://127.0.0.1:" + apiPort();
  }

  public String repository() {
    String r = repo != null ? repo : env("LIFEBOAT_REPOSITORY");
    return r != null ? r : home().resolve("repository").toString();
  }

  /** Replica locations: --replica options, else LIFEBOAT_REPLICAS. */
  public java.util.List<String> replicas() {
    if (replica != null && !replica.isEmpty()) {
      return java.util.List.copyOf(replica);
    }
    String env = env("LIFEBOAT_REPLICAS");
    return env == null
        ? java.util.List.of()
        : java.util.Arrays.stream(env.split(","))
            .map(String::strip)
            .filter(x -> !x.isEmpty())
            .toList();
  }

  public Path keyFile() {
    String k = keyFile != null ? keyFile : env("LIFEBOAT_KEY_FILE");
    return k != null ? Path.of(k).toAbsolutePath() : home().resolve("key");
  }

  /**
   * Where {@code lifeboat restore} may write: never into the home, the key file, a local repository
   * or the system's folders; under {@code LIFEBOAT_RECOVERY_TARGETROOTS} when it is set (otherwise
   * anywhere its user may write); database targets as its user chooses (it reads their passwords
   * with its own rights).
   */
  public io.lifeboat.core.policy.TargetPolicy targetPolicy() {
    java.util.List<Path> denied = new java.util.ArrayList<>();
    denied.add(home());
    denied.add(keyFile());
    denied.addAll(io.lifeboat.core.policy.TargetPolicy.SYSTEM_FOLDERS);
    io.lifeboat.core.policy.TargetPolicy.localFolder(repository()).ifPresent(denied::add);
    replicas()
        .forEach(r -> io.lifeboat.core.policy.TargetPolicy.localFolder(r).ifPresent(denied::add));
    String roots = env("LIFEBOAT_RECOVERY_TARGETROOTS");
    String production = env("LIFEBOAT_AUTH_PRODUCTION_TARGETS");
    java.util.List<String> globs =
        production == null ? java.util.List.of() : java.util.List.of(production.split(","));
    return new io.lifeboat.core.policy.TargetPolicy(
        roots == null
            ? java.util.List.of()
            : java.util.Arrays.stream(roots.split(","))
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .map(Path::of)
                .toList(),
        denied,
        null,
        new io.lifeboat.core.policy.TargetPolicy.Production(
            new io.lifeboat.stage.common.auth.ProductionTargets(globs),
            new io.lifeboat.stage.common.auth.ProductionTargets(globs)
                .withRealFolders(io.lifeboat.core.policy.RealPaths::real)),
        null);
  }
}
