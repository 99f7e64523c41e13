package io.lifeboat.stage.storage.health;

import io.lifeboat.stage.storage.StorageAccess;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The storage readiness check, in services that touch backup data and run Actuator. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class StorageHealthConfiguration {

  /** Named {@code storage}: the readiness group includes it (lifeboat-defaults.properties). */
  @Bean(name = "storage")
  StorageHealth storage(StorageAccess storage) {
    return new StorageHealth(storage.primary());
  }
}
