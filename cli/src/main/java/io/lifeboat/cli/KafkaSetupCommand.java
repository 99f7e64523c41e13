package io.lifeboat.cli;

import io.lifeboat.stage.common.KafkaAcls;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.KafkaCredentials;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.TopicProvisioner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat kafka-setup}: on a Kafka cluster of your own, creates Lifeboat's topics and
 * grants each service principal only what its role needs (the embedded default does this itself).
 * Run it once as a Kafka administrator; it changes nothing that is already there.
 */
@Command(
    name = "kafka-setup",
    description = "Create Lifeboat's topics and ACLs on a Kafka cluster, as an administrator.")
final class KafkaSetupCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(
      names = "--admin-properties",
      description = "Client settings of a Kafka administrator (security.protocol, sasl.*, ssl.*)")
  @Nullable Path adminProperties;

  @Option(
      names = "--replication-factor",
      defaultValue = "3",
      description = "Of the topics it creates (default: 3)")
  short replicationFactor;

  @Option(names = "--catalog-app-id", defaultValue = "lifeboat-catalog")
  String catalogAppId = "lifeboat-catalog";

  @Option(names = "--coordinator-app-id", defaultValue = "lifeboat-recovery-coordinator")
  String coordinatorAppId = "lifeboat-recovery-coordinator";

  @Option(names = "--scheduler-app-id", defaultValue = "lifeboat-scheduler")
  String schedulerAppId = "lifeboat-scheduler";

  @Option(
      names = "--no-acls",
      description = "Create the topics only (a cluster without an authorizer)")
  boolean noAcls;

  @Option(
      names = "--auth-mode",
      description =
          "single or roles (default: env LIFEBOAT_AUTH_MODE, else single); with roles the"
              + " command line's principal may not write the request topics (it sends through the"
              + " API), and switching takes the other mode's grants away")
  @Nullable String authMode;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Map<String, String> admin = new HashMap<>();
    if (adminProperties != null) {
      Path file = adminProperties.toAbsolutePath();
      String name = file.getFileName().toString().replaceFirst("\\.properties$", "");
      admin.putAll(KafkaCredentials.read(java.util.Objects.requireNonNull(file.getParent()), name));
    }
    KafkaClients clients =
        new KafkaClients(
            new LifeboatProperties.Kafka(
                settings.bootstrap(), replicationFactor, admin, null, true));
    TopicProvisioner.ensureTopics(clients, 60);
    out.println("topics: every Lifeboat topic exists on " + settings.bootstrap());
    if (!noAcls) {
      try (Admin a = Admin.create(clients.common())) {
        String mode = authMode != null ? authMode : System.getenv("LIFEBOAT_AUTH_MODE");
        boolean roles = mode != null && mode.strip().equalsIgnoreCase("roles");
        var bindings = KafkaAcls.bindings(catalogAppId, coordinatorAppId, schedulerAppId, roles);
        KafkaAcls.apply(
            a,
            bindings,
            KafkaAcls.obsolete(catalogAppId, coordinatorAppId, schedulerAppId, roles),
            java.time.Duration.ofSeconds(60));
        out.println(
            "acls: "
                + bindings.size()
                + " grants for the service principals (lifeboat-dump, lifeboat-seal, ...)"
                + (roles ? "; roles mode: lifeboat-cli sends requests through the API" : ""));
      }
    }
    return ExitCodes.OK;
  }
}
