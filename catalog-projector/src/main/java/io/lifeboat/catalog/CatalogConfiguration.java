package io.lifeboat.catalog;

import io.lifeboat.catalog.metrics.CatalogMetrics;
import io.lifeboat.catalog.metrics.GaugeRefresher;
import io.lifeboat.catalog.metrics.RecentAlerts;
import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.catalog.web.CatalogController;
import io.lifeboat.catalog.web.RecoveryHistoryController;
import io.lifeboat.stage.common.ApiGuard;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
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
  io.lifeboat.stage.common.auth.AuthConfiguration.class,
  io.lifeboat.stage.common.ApiErrors.BadParameters.class,
  io.lifeboat.stage.common.ApiErrors.ErrorPage.class,
  CatalogController.class,
  RecoveryHistoryController.class,
  io.lifeboat.catalog.web.MetricsController.class,
  io.lifeboat.catalog.web.AlertController.class,
  io.lifeboat.catalog.web.ScheduleController.class,
  io.lifeboat.catalog.web.WalController.class,
  io.lifeboat.catalog.web.AuditController.class,
  io.lifeboat.catalog.web.CatalogApiErrors.class
})
@EnableConfigurationProperties(CatalogProperties.class)
public class CatalogConfiguration {

  /** The catalog's Prometheus series; in a registry of their own when Actuator provides none. */
  @Bean
  CatalogMetrics catalogMetrics(ObjectProvider<MeterRegistry> registry) {
    return new CatalogMetrics(
        registry.getIfAvailable(SimpleMeterRegistry::new), java.time.Instant::now);
  }

  @Bean
  CatalogStreams catalogStreams(
      KafkaClients sharedClients,
      CatalogProperties catalog,
      LifeboatProperties lifeboat,
      CatalogMetrics metrics,
      RecentAlerts alerts) {
    KafkaClients clients = sharedClients.as(Principals.CATALOG);
    String dir = catalog.stateDir() != null ? catalog.stateDir() : lifeboat.home() + "/state";
    return new CatalogStreams(
        clients,
        catalog,
        dir,
        event -> {
          metrics.onEvent(event);
          alerts.onEvent(event);
        });
  }

  @Bean
  RecentAlerts recentAlerts() {
    return new RecentAlerts(500);
  }

  @Bean
  CatalogQueryService catalogQueryService(CatalogStreams streams) {
    return new CatalogQueryService(streams::streams);
  }

  @Bean(destroyMethod = "close")
  GaugeRefresher catalogGaugeRefresher(
      CatalogMetrics metrics, CatalogQueryService catalog, CatalogProperties properties) {
    return new GaugeRefresher(metrics, catalog, properties.gaugeRefresh());
  }
}
