package io.lifeboat.recovery;

import io.lifeboat.model.CatalogClient;
import io.lifeboat.recovery.query.CoordinatorQueryService;
import io.lifeboat.recovery.web.RecoveryController;
import io.lifeboat.recovery.web.RecoveryPublisher;
import io.lifeboat.stage.common.ApiGuard;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The recovery coordinator's beans: the saga's Streams app, the plan API. Off with {@code
 * lifeboat.recovery.coordinator.enabled=false} (then another process coordinates).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "lifeboat.recovery.coordinator.enabled",
    havingValue = "true",
    matchIfMissing = true)
@Import({
  StageCommonConfiguration.class,
  ApiGuard.class,
  io.lifeboat.stage.common.auth.AuthConfiguration.class,
  io.lifeboat.stage.common.ApiErrors.BadParameters.class,
  io.lifeboat.stage.common.ApiErrors.ErrorPage.class,
  RecoveryController.class,
  io.lifeboat.recovery.web.ScheduleApiController.class,
  io.lifeboat.recovery.web.BackupApiController.class,
  io.lifeboat.recovery.web.ApiDocs.class,
  io.lifeboat.recovery.web.ApprovalController.class,
  io.lifeboat.recovery.web.ApprovalAdvice.class,
  io.lifeboat.recovery.web.RequestApiController.class,
  io.lifeboat.recovery.web.BreakGlassController.class
})
@EnableConfigurationProperties(CoordinatorProperties.class)
public class CoordinatorConfiguration {

  @Bean
  CoordinatorStreams coordinatorStreams(
      KafkaClients sharedClients,
      CoordinatorProperties properties,
      LifeboatProperties lifeboat,
      io.lifeboat.stage.common.auth.ApiAccess access,
      io.lifeboat.stage.common.auth.AuditSink audit,
      java.security.PrivateKey apiIdentity,
      Environment env)
      throws java.io.IOException {
    KafkaClients clients = sharedClients.as(Principals.COORDINATOR);
    String dir = properties.stateDir() != null ? properties.stateDir() : lifeboat.home() + "/state";
    java.nio.file.Path keyFile =
        java.nio.file.Path.of(
            properties.commandKeyFile() != null
                ? properties.commandKeyFile()
                : lifeboat.home() + "/" + COMMAND_KEY_FILE);
    if (!java.nio.file.Files.exists(keyFile)) {
      throw new IllegalStateException(
          "no recovery command key at "
              + keyFile
              + ": the coordinator signs step commands with it"
              + " and the executors check them; `lifeboat init` makes it (set lifeboat.recovery.coordinator.command-key-file)");
    }
    return new CoordinatorStreams(
        clients,
        properties,
        dir,
        io.lifeboat.core.crypto.SecretFiles.readKey(keyFile),
        new io.lifeboat.recovery.topology.CoordinatorTopology.RequestSecurity(
            io.lifeboat.stage.common.auth.KafkaRequestGuard.from(env, audit, "coordinator"),
            access,
            apiIdentity));
  }

  /**
   * The API's Ed25519 key: it signs the actor claims on the requests it sends, so the services that
   * act can check who asked (made on first start; identity.pub is what they check with).
   */
  @Bean
  java.security.PrivateKey apiIdentity(Environment env, LifeboatProperties lifeboat) {
    return io.lifeboat.stage.common.auth.IdentityKeys.loadOrCreate(
        java.nio.file.Path.of(env.getProperty("lifeboat.auth.identity-dir", lifeboat.home())),
        io.lifeboat.stage.common.auth.IdentityKeys.API);
  }

  /** The file name of the recovery command key under lifeboat.home. */
  public static final String COMMAND_KEY_FILE = "recovery-command.key";

  @Bean
  CoordinatorQueryService coordinatorQueryService(CoordinatorStreams streams) {
    return new CoordinatorQueryService(streams::streams);
  }

  @Bean
  RecoveryPublisher recoveryPublisher(
      StageKafka sharedKafka,
      CoordinatorStreams streams,
      io.lifeboat.stage.common.auth.ApiAccess access,
      java.security.PrivateKey apiIdentity) {
    StageKafka kafka = sharedKafka.as(Principals.COORDINATOR);
    return new RecoveryPublisher(
        kafka.template("lifeboat-recovery-api"),
        streams.commandKey(),
        access.approvalTtl(),
        apiIdentity);
  }

  /** The API's audit trail: every change and refusal to {@code lifeboat.audit}. */
  @Bean
  io.lifeboat.stage.common.auth.AuditSink auditSink(StageKafka sharedKafka) {
    return io.lifeboat.stage.common.auth.AuditSink.kafka(
        sharedKafka.as(Principals.COORDINATOR).template("lifeboat-audit"));
  }

  /** The catalog this process's plan previews ask: configured, or this process's own API. */
  @Bean
  Supplier<CatalogClient> recoveryCatalog(CoordinatorProperties properties, Environment env) {
    return () ->
        new CatalogClient(
            properties.catalogUrl() != null
                ? properties.catalogUrl()
                : "http://127.0.0.1:"
                    + env.getProperty("local.server.port", env.getProperty("server.port", "8080")),
            // the catalog asks for a token in roles mode: the coordinator reads with its own
            env.getProperty(
                "lifeboat.recovery.coordinator.catalog-token",
                env.getProperty("lifeboat.api.token", "")));
  }
}
