package io.lifeboat.stage.seal;

import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.lifeboat.stage.storage.RepositoryAccess;
import io.lifeboat.stage.storage.RepositoryConfiguration;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.transaction.KafkaTransactionManager;

/** The compress-encrypt stage's beans; also imported by the all-in-one process. */
@Configuration(proxyBeanMethods = false)
@Import({StageCommonConfiguration.class, RepositoryConfiguration.class})
@EnableConfigurationProperties(SealStageProperties.class)
public class SealStageConfiguration {

  public static final String GROUP = "lifeboat-stage-seal";

  @Bean
  SealStage sealStage(RepositoryAccess access) {
    return new SealStage(access::repository, access::transportSeal);
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> sealStageContainer(
      StageKafka sharedKafka, SealStage stage, SealStageProperties properties) {
    StageKafka kafka = sharedKafka.as(Principals.SEAL);
    // A transactional id prefix unique to this instance; the container fences zombies per
    // partition.
    DefaultKafkaProducerFactory<Object, Object> producers =
        kafka.producerFactory(GROUP, "lifeboat-seal-" + UUID.randomUUID() + "-");
    KafkaTransactionManager<Object, Object> transactions = new KafkaTransactionManager<>(producers);
    SealStageListener listener =
        new SealStageListener(stage, new KafkaTemplate<>(producers), GROUP);
    return kafka.transactionalBatchContainer(
        Topics.CHUNKS_RAW,
        GROUP,
        properties.concurrency(),
        properties.batchRecords(),
        transactions,
        listener);
  }

  @Bean(destroyMethod = "close")
  RawChunkJanitor sealStageRawChunkJanitor(
      KafkaClients sharedClients, SealStageProperties properties) {
    KafkaClients clients = sharedClients.as(Principals.SEAL);
    return new RawChunkJanitor(clients, GROUP, properties.deleteSealedEverySeconds());
  }
}
