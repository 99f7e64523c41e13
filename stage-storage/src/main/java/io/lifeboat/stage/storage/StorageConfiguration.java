package io.lifeboat.stage.storage;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * The storage locations, without the key: imported by the upload stage (and by {@link
 * RepositoryConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RepositoryProperties.class)
@PropertySource("classpath:lifeboat-storage-defaults.properties")
@org.springframework.context.annotation.Import(
    io.lifeboat.stage.storage.health.StorageHealthConfiguration.class)
public class StorageConfiguration {

  @Bean(destroyMethod = "close")
  StorageAccess lifeboatStorageAccess(
      RepositoryProperties properties, ObjectProvider<MeterRegistry> meters) {
    return new StorageAccess(properties, meters.getIfAvailable());
  }
}
