package io.lifeboat.stage.dump;

import io.lifeboat.core.crypto.CredentialSeal;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.RepositoryAccess;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The dump stage's beans; also imported by the all-in-one process. */
@Configuration(proxyBeanMethods = false)
@Import(StageCommonConfiguration.class)
@EnableConfigurationProperties(DumpStageProperties.class)
public class DumpStageConfiguration {

  public static final String GROUP = "lifeboat-stage-dump";

  @Bean
  DumpStage dumpStage(RepositoryAccess access, ProviderRegistry providers, LifeboatProperties properties) {
    return new DumpStage(
        access::repository,
        providers,
        java.util.stream.Stream.concat(
            java.util.stream.Stream.of(properties.repository().location()), properties.repository().replicas().stream()).toList(),
        (backupId, component, sealed) ->
            CredentialSeal.open(RepositoryAccess.masterKey(properties.repository()), backupId, component, sealed));
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> dumpStageContainer(
      StageKafka kafka, DumpStage stage, DumpStageProperties properties) {
    DumpStageListener listener = new DumpStageListener(stage, kafka.compressingTemplate(GROUP, properties.wireCompression()));
    return kafka.recordContainer(
        Topics.BACKUP_REQUESTS, GROUP, properties.concurrency(), 1, properties.maxDumpMinutes() * 60_000, listener);
  }
}
