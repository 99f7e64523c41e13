package io.lifeboat.stage.storage;

import io.lifeboat.core.crypto.CryptoWarmup;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The repository with the master key: imported by the services that seal, hash, verify or restore
 * backup data (dump, seal, verify, the recovery executor), never by the upload stage, the catalog
 * or the coordinator.
 */
@Configuration(proxyBeanMethods = false)
@Import(StorageConfiguration.class)
public class RepositoryConfiguration {

  @Bean
  RepositoryAccess lifeboatRepositoryAccess(
      StorageAccess storage, RepositoryProperties properties) {
    return new RepositoryAccess(storage, properties);
  }

  /**
   * Compiles the crypto intrinsics in the background while the service starts, so the first backup
   * does not run AES-GCM at interpreter speed (see CryptoWarmup). Only services that encrypt or
   * decrypt need it.
   */
  @Bean
  Thread lifeboatCryptoWarmup() {
    return CryptoWarmup.inBackground(256L * 1024 * 1024);
  }
}
