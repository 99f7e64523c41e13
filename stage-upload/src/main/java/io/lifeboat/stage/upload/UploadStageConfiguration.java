package io.lifeboat.stage.upload;

import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.lifeboat.stage.storage.RepositoryProperties;
import io.lifeboat.stage.storage.StorageAccess;
import io.lifeboat.stage.storage.StorageConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The upload stage's beans; also imported by the all-in-one process. */
@Configuration(proxyBeanMethods = false)
@Import({StageCommonConfiguration.class, StorageConfiguration.class})
@EnableConfigurationProperties(UploadStageProperties.class)
public class UploadStageConfiguration {

  public static final String GROUP = "lifeboat-stage-upload";

  @Bean
  UploadStage uploadStage(StorageAccess storage) {
    return new UploadStage(storage.primary(), storage.replicas());
  }

  @Bean(destroyMethod = "close")
  ReplicaRepairer uploadStageReplicaRepairer(
      StorageAccess storage, StageKafka sharedKafka, RepositoryProperties properties) {
    StageKafka kafka = sharedKafka.as(Principals.UPLOAD);
    var template = kafka.template(GROUP + "-repair");
    return new ReplicaRepairer(
        storage.primary(),
        storage.replicas(),
        alert -> template.send(Topics.ALERTS.name(), alert.getSubject(), alert),
        properties.repairInterval());
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> uploadStageContainer(
      StageKafka sharedKafka, UploadStage stage, UploadStageProperties properties) {
    StageKafka kafka = sharedKafka.as(Principals.UPLOAD);
    UploadStageListener listener = new UploadStageListener(stage, kafka.template(GROUP));
    return kafka.recordContainer(
        Topics.CHUNKS_SEALED,
        GROUP,
        properties.concurrency(),
        16,
        java.time.Duration.ofMinutes(5),
        listener);
  }
}
