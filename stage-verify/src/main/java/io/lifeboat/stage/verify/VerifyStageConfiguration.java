package io.lifeboat.stage.verify;

import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCancelRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.Cancellations;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.lifeboat.stage.common.TopicFollower;
import io.lifeboat.stage.storage.RepositoryAccess;
import io.lifeboat.stage.storage.RepositoryConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The verify stage's beans; also imported by the all-in-one process. */
@Configuration(proxyBeanMethods = false)
@Import({StageCommonConfiguration.class, RepositoryConfiguration.class})
@EnableConfigurationProperties(VerifyStageProperties.class)
public class VerifyStageConfiguration {

  public static final String GROUP = "lifeboat-stage-verify";

  @Bean
  WriteFailures verifyStageWriteFailures() {
    return new WriteFailures();
  }

  @Bean(destroyMethod = "close")
  TopicFollower<Alert> verifyStageAlertFollower(StageKafka sharedKafka, WriteFailures failures) {
    StageKafka kafka = sharedKafka.as(Principals.VERIFY);
    return new TopicFollower<>(
        kafka.clients().common(),
        Topics.ALERTS,
        java.time.Duration.ofHours(1),
        "lifeboat-stage-verify-alerts",
        "a backup whose chunks cannot be stored will fail only after the no-progress timeout",
        failures::accept);
  }

  @Bean(CANCELLATIONS)
  Cancellations verifyStageCancellations() {
    return new Cancellations();
  }

  static final String CANCELLATIONS = "verifyStageCancellations";

  @Bean(destroyMethod = "close")
  TopicFollower<BackupCancelRequested> verifyStageCancellationFollower(
      StageKafka sharedKafka,
      @org.springframework.beans.factory.annotation.Qualifier(CANCELLATIONS)
          Cancellations cancellations,
      @org.springframework.beans.factory.annotation.Qualifier(GUARD)
          io.lifeboat.stage.common.auth.KafkaRequestGuard guard) {
    StageKafka kafka = sharedKafka.as(Principals.VERIFY);
    return new TopicFollower<>(
        kafka.clients().common(),
        Topics.BACKUP_CANCELLATIONS,
        java.time.Duration.ofDays(1),
        "lifeboat-stage-verify-cancellations",
        "cancelled backups are committed like the others",
        cancellations::accept,
        guard
            .quietly() // the dump stage audits refused cancellations
            .admitting(
                io.lifeboat.stage.common.auth.Operation.CANCEL,
                io.lifeboat.stage.common.auth.Role.OPERATOR,
                BackupCancelRequested::getBackupId));
  }

  static final String GUARD = "verifyStageRequestGuard";

  /** Roles over Kafka: one guard for this stage's listeners, refusals audited as stage-verify. */
  @Bean(GUARD)
  io.lifeboat.stage.common.auth.KafkaRequestGuard verifyStageRequestGuard(
      StageKafka sharedKafka, org.springframework.core.env.Environment env) {
    return io.lifeboat.stage.common.auth.KafkaRequestGuard.from(
        env,
        io.lifeboat.stage.common.auth.AuditSink.kafka(
            sharedKafka.as(Principals.VERIFY).template(GROUP + "-audit")),
        "stage-verify");
  }

  @Bean
  ScheduleRetention verifyStageScheduleRetention() {
    return new ScheduleRetention();
  }

  /** Every schedule, from the start of its compacted topic: their retention policies. */
  @Bean(destroyMethod = "close")
  TopicFollower<io.lifeboat.events.ScheduleDefined> verifyStageScheduleFollower(
      StageKafka sharedKafka,
      ScheduleRetention retention,
      @org.springframework.beans.factory.annotation.Qualifier(GUARD)
          io.lifeboat.stage.common.auth.KafkaRequestGuard guard) {
    StageKafka kafka = sharedKafka.as(Principals.VERIFY);
    return new TopicFollower<>(
        kafka.clients().common(),
        Topics.SCHEDULES,
        java.time.Duration.ofDays(365L * 50), // all of it (a time before the first record)
        "lifeboat-stage-verify-schedules",
        "scheduled backups apply no retention",
        retention::accept,
        // retention is an admin's: only schedules an admin defined prune (the scheduler audits)
        guard
            .quietly()
            .admitting(
                io.lifeboat.stage.common.auth.Operation.SCHEDULE_DEFINE,
                io.lifeboat.stage.common.auth.Role.ADMIN,
                io.lifeboat.events.ScheduleDefined::getName));
  }

  @Bean(destroyMethod = "close")
  VerifyStage verifyStage(
      RepositoryAccess access,
      VerifyStageProperties properties,
      WriteFailures failures,
      @org.springframework.beans.factory.annotation.Qualifier(CANCELLATIONS)
          Cancellations cancellations) {
    return new VerifyStage(
        access::repository,
        access.replicas(),
        properties.noProgressTimeout(),
        properties.chunkParallelism(),
        failures,
        properties.reusedChunkWindow(),
        cancellations::of);
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> verifyStageContainer(
      StageKafka sharedKafka,
      VerifyStage stage,
      VerifyStageProperties properties,
      RepositoryAccess access,
      ScheduleRetention retention,
      org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry>
          meters) {
    StageKafka kafka = sharedKafka.as(Principals.VERIFY);
    VerifyStageListener listener =
        new VerifyStageListener(
            stage,
            kafka.template(GROUP),
            meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new),
            retention);
    java.time.Duration maxPoll = properties.noProgressTimeout().multipliedBy(6).plusMinutes(10);
    // only the dump stage's chunk lists are committed as manifests: they carry its signature
    return kafka.recordContainer(
        Topics.BACKUP_DUMPS,
        GROUP,
        properties.concurrency(),
        1,
        maxPoll,
        listener,
        access.dumpSignatureKey());
  }

  /**
   * The group that answers verify requests for stored backups (its own, so a long backup does not
   * hold them up).
   */
  public static final String REVERIFY_GROUP = "lifeboat-stage-verify-requests";

  @Bean
  ConcurrentMessageListenerContainer<String, ?> verifyStageReverifyContainer(
      StageKafka sharedKafka,
      VerifyStageProperties properties,
      RepositoryAccess access,
      @org.springframework.beans.factory.annotation.Qualifier(GUARD)
          io.lifeboat.stage.common.auth.KafkaRequestGuard guard) {
    StageKafka kafka = sharedKafka.as(Principals.VERIFY);
    ReverifyListener listener =
        new ReverifyListener(
            new Reverifier(access::repository, properties.chunkParallelism()),
            kafka.template(REVERIFY_GROUP),
            guard);
    return kafka.recordContainer(
        Topics.BACKUP_VERIFY_REQUESTS,
        REVERIFY_GROUP,
        1,
        1,
        java.time.Duration.ofHours(6),
        listener);
  }

  /** The group that deletes backups on request. */
  public static final String DELETE_GROUP = "lifeboat-stage-verify-deletions";

  @Bean
  ConcurrentMessageListenerContainer<String, ?> verifyStageDeleteContainer(
      StageKafka sharedKafka,
      RepositoryAccess access,
      @org.springframework.beans.factory.annotation.Qualifier(GUARD)
          io.lifeboat.stage.common.auth.KafkaRequestGuard guard) {
    StageKafka kafka = sharedKafka.as(Principals.VERIFY);
    DeleteRequestListener listener =
        new DeleteRequestListener(
            new BackupDeleter(access::repository, access.replicas()),
            kafka.template(DELETE_GROUP),
            guard);
    return kafka.recordContainer(
        Topics.BACKUP_DELETE_REQUESTS,
        DELETE_GROUP,
        1,
        1,
        java.time.Duration.ofMinutes(10),
        listener);
  }
}
