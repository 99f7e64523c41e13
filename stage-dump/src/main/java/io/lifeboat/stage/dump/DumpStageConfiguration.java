package io.lifeboat.stage.dump;

import io.lifeboat.core.crypto.CredentialSeal;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.lifeboat.stage.storage.RepositoryAccess;
import io.lifeboat.stage.storage.RepositoryConfiguration;
import io.lifeboat.stage.storage.RepositoryProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The dump stage's beans; also imported by the all-in-one process. */
@Configuration(proxyBeanMethods = false)
@Import({StageCommonConfiguration.class, RepositoryConfiguration.class})
@EnableConfigurationProperties(DumpStageProperties.class)
public class DumpStageConfiguration {

  public static final String GROUP = "lifeboat-stage-dump";

  static final String CANCELLATIONS = "dumpStageCancellations";

  @Bean(CANCELLATIONS)
  io.lifeboat.stage.common.Cancellations dumpStageCancellations() {
    return new io.lifeboat.stage.common.Cancellations();
  }

  @Bean(destroyMethod = "close")
  io.lifeboat.stage.common.TopicFollower<io.lifeboat.events.BackupCancelRequested>
      dumpStageCancellationFollower(
          io.lifeboat.stage.common.StageKafka sharedKafka,
          @org.springframework.beans.factory.annotation.Qualifier(CANCELLATIONS)
              io.lifeboat.stage.common.Cancellations cancellations,
          @org.springframework.beans.factory.annotation.Qualifier(GUARD)
              io.lifeboat.stage.common.auth.KafkaRequestGuard guard) {
    return new io.lifeboat.stage.common.TopicFollower<>(
        sharedKafka.as(io.lifeboat.stage.common.Principals.DUMP).clients().common(),
        io.lifeboat.events.Topics.BACKUP_CANCELLATIONS,
        java.time.Duration.ofDays(1),
        "lifeboat-stage-dump-cancellations",
        "cancelled backups are dumped to the end (verify still commits nothing for them)",
        cancellations,
        guard.admitting(
            io.lifeboat.stage.common.auth.Operation.CANCEL,
            io.lifeboat.stage.common.auth.Role.OPERATOR,
            io.lifeboat.events.BackupCancelRequested::getBackupId));
  }

  static final String GUARD = "dumpStageRequestGuard";

  /** Roles over Kafka: one guard for this stage's listeners, refusals audited as stage-dump. */
  @Bean(GUARD)
  io.lifeboat.stage.common.auth.KafkaRequestGuard dumpStageRequestGuard(
      StageKafka sharedKafka, org.springframework.core.env.Environment env) {
    return io.lifeboat.stage.common.auth.KafkaRequestGuard.from(
        env,
        io.lifeboat.stage.common.auth.AuditSink.kafka(
            sharedKafka.as(Principals.DUMP).template(GROUP + "-audit")),
        "stage-dump");
  }

  @Bean
  DumpStage dumpStage(
      RepositoryAccess access,
      RepositoryProperties repository,
      DumpStageProperties properties,
      LifeboatProperties lifeboat,
      org.springframework.core.env.Environment env,
      @org.springframework.beans.factory.annotation.Qualifier(CANCELLATIONS)
          io.lifeboat.stage.common.Cancellations cancellations) {
    org.springframework.boot.context.properties.bind.Binder binder =
        org.springframework.boot.context.properties.bind.Binder.get(env);
    DumpStage stage =
        newDumpStage(
            access,
            repository,
            properties,
            lifeboat,
            rolesMode(env),
            name -> binder.bind(name, String.class).orElse(null));
    stage.cancellations(cancellations::of);
    cancellations.onCancel(stage, stage::cancel);
    return stage;
  }

  private static DumpStage newDumpStage(
      RepositoryAccess access,
      RepositoryProperties repository,
      DumpStageProperties properties,
      LifeboatProperties lifeboat,
      boolean roles,
      java.util.function.Function<String, @org.jspecify.annotations.Nullable String> property) {
    return new DumpStage(
        access::repository,
        ProviderRegistry.standard(),
        repository.locations(),
        (backupId, component, spec, secret) ->
            CredentialSeal.open(access.masterKey(), backupId, component, spec, secret),
        sourcePolicy(properties, lifeboat, repository, roles, property),
        access::transportSeal);
  }

  /** Roles mode ({@code lifeboat.auth.mode=roles}, or env LIFEBOAT_AUTH_MODE=roles). */
  static boolean rolesMode(org.springframework.core.env.Environment env) {
    return env.getProperty("lifeboat.auth.mode", "single").strip().equalsIgnoreCase("roles");
  }

  /**
   * Lifeboat's own files ({@link io.lifeboat.stage.storage.OwnFiles}: home, keys, credentials,
   * state, repository, wherever configured) and the system's virtual folders are never read; in
   * roles mode neither are the machine's credentials ({@link DumpStageProperties#ROLES_DENIED}),
   * and sources lie under {@link DumpStageProperties#ROLES_SOURCE_ROOTS} unless {@code
   * source-roots} says otherwise.
   */
  static SourcePolicy sourcePolicy(
      DumpStageProperties properties,
      LifeboatProperties lifeboat,
      RepositoryProperties repository,
      boolean roles,
      java.util.function.Function<String, @org.jspecify.annotations.Nullable String> property) {
    java.util.List<java.nio.file.Path> denied =
        new java.util.ArrayList<>(
            io.lifeboat.stage.storage.OwnFiles.of(
                lifeboat.home(), property, repository.locations()));
    denied.addAll(
        java.util.List.of(
            java.nio.file.Path.of("/proc"),
            java.nio.file.Path.of("/sys"),
            java.nio.file.Path.of("/dev")));
    if (repository.keyFile() != null) {
      denied.add(java.nio.file.Path.of(repository.keyFile()));
    }
    if (roles) {
      DumpStageProperties.ROLES_DENIED.forEach(d -> denied.add(java.nio.file.Path.of(d)));
    }
    return new SourcePolicy(
        properties.sourceRoots(roles).stream().map(java.nio.file.Path::of).toList(),
        denied,
        properties.databaseHosts().stream()
            .map(h -> h.strip().toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet()),
        java.nio.file.Path.of(
            properties.passwordFileDir() != null
                ? properties.passwordFileDir()
                : lifeboat.home() + "/passwords"));
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> dumpStageContainer(
      StageKafka sharedKafka,
      DumpStage stage,
      DumpStageProperties properties,
      RepositoryAccess access,
      @org.springframework.beans.factory.annotation.Qualifier(GUARD)
          io.lifeboat.stage.common.auth.KafkaRequestGuard guard) {
    StageKafka kafka = sharedKafka.as(Principals.DUMP);
    DumpStageListener listener =
        new DumpStageListener(
            stage,
            kafka.compressingTemplate(
                GROUP,
                properties.wireCompression(),
                java.util.Map.of(Topics.BACKUP_DUMPS.name(), access.dumpSignatureKey())),
            guard);
    return kafka.recordContainer(
        Topics.BACKUP_REQUESTS,
        GROUP,
        properties.concurrency(),
        1,
        java.time.Duration.ofMinutes(properties.maxDumpMinutes()),
        listener,
        null,
        listener::givenUp);
  }
}
