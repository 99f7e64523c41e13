package io.lifeboat.stage.common;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * What every Lifeboat service needs, and only that: Kafka settings, clients and topics. Storage and
 * the key come from the stage-storage module, imported only by the services that touch backup data;
 * the catalog and the coordinator hold neither. In the all-in-one process the services share one
 * instance of each bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LifeboatProperties.class)
@PropertySource("classpath:lifeboat-defaults.properties")
@org.springframework.context.annotation.Import(
    io.lifeboat.stage.common.health.KafkaHealthConfiguration.class)
public class StageCommonConfiguration {

  @Bean
  KafkaClients lifeboatKafkaClients(LifeboatProperties properties) {
    KafkaClients clients = new KafkaClients(properties.kafka());
    if (properties.kafka().provisionTopics()) {
      TopicProvisioner.ensureTopics(clients, 60);
    }
    return clients;
  }

  @Bean
  StageKafka lifeboatStageKafka(
      KafkaClients clients,
      org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry>
          meters) {
    return new StageKafka(clients, meters.getIfAvailable());
  }
}
