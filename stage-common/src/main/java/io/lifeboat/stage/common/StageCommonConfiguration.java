package io.lifeboat.stage.common;

import io.lifeboat.core.crypto.CryptoWarmup;
import io.lifeboat.core.provider.ProviderRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * Beans every stage shares. Imported by each stage configuration; in the all-in-one process the
 * stages share one instance of each.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LifeboatProperties.class)
@PropertySource("classpath:lifeboat-defaults.properties")
public class StageCommonConfiguration {

  @Bean
  KafkaClients lifeboatKafkaClients(LifeboatProperties properties) {
    KafkaClients clients = new KafkaClients(properties.kafka());
    TopicProvisioner.ensureTopics(clients, 60);
    return clients;
  }

  @Bean
  StageKafka lifeboatStageKafka(KafkaClients clients) {
    return new StageKafka(clients);
  }

  @Bean(destroyMethod = "close")
  RepositoryAccess lifeboatRepositoryAccess(LifeboatProperties properties) {
    return new RepositoryAccess(properties.repository());
  }

  @Bean
  ProviderRegistry lifeboatProviders() {
    return ProviderRegistry.standard();
  }

  /**
   * Compiles the crypto intrinsics in the background while the service starts, so the first
   * backup does not run AES-GCM at interpreter speed (see CryptoWarmup).
   */
  @Bean
  Thread lifeboatCryptoWarmup() {
    return CryptoWarmup.inBackground(256L * 1024 * 1024);
  }
}
