package io.lifeboat.stage.common.health;

import io.lifeboat.stage.common.KafkaClients;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka readiness check, in services that run Spring Boot Actuator (those with an API). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class KafkaHealthConfiguration {

  /** Named {@code kafka}: the readiness group includes it (lifeboat-defaults.properties). */
  @Bean(name = "kafka", destroyMethod = "close")
  KafkaHealth kafka(KafkaClients clients) {
    // authenticated as one of the services with an API (whichever credentials this process has)
    for (String principal :
        java.util.List.of(
            io.lifeboat.stage.common.Principals.CATALOG,
            io.lifeboat.stage.common.Principals.COORDINATOR)) {
      try {
        return new KafkaHealth(clients.as(principal).common());
      } catch (IllegalStateException noCredentials) {
        // not this one
      }
    }
    return new KafkaHealth(clients.common());
  }
}
