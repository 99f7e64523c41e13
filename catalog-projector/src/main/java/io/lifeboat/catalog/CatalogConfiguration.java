package io.lifeboat.catalog;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.catalog.web.CatalogController;
import io.lifeboat.catalog.web.RecoveryHistoryController;
import io.lifeboat.stage.common.ApiGuard;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The catalog's beans: the Streams app, the query service and the API controllers (backups,
 * recovery history).
 */
@Configuration(proxyBeanMethods = false)
@Import({
  StageCommonConfiguration.class,
  ApiGuard.class,
  io.lifeboat.stage.common.ApiErrors.BadParameters.class,
  io.lifeboat.stage.common.ApiErrors.ErrorPage.class,
  CatalogController.class,
  RecoveryHistoryController.class,
  io.lifeboat.catalog.web.ScheduleController.class,
  io.lifeboat.catalog.web.CatalogApiErrors.class
})
@EnableConfigurationProperties(CatalogProperties.class)
public class CatalogConfiguration {

  @Bean
  CatalogStreams catalogStreams(
      KafkaClients sharedClients, CatalogProperties catalog, LifeboatProperties lifeboat) {
    KafkaClients clients = sharedClients.as(Principals.CATALOG);
    String dir = catalog.stateDir() != null ? catalog.stateDir() : lifeboat.home() + "/state";
    return new CatalogStreams(clients, catalog, dir);
  }

  @Bean
  CatalogQueryService catalogQueryService(CatalogStreams streams) {
    return new CatalogQueryService(streams::streams);
  }
}
