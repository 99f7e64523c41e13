package io.lifeboat.stage.common.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Imported by the stage applications that run without a web server: their Prometheus series on
 * {@code lifeboat.metrics.bind}:{@code lifeboat.metrics.port} (default 127.0.0.1:9464; -1 turns it
 * off, 0 picks a free port).
 */
@Configuration(proxyBeanMethods = false)
public class StageMetricsConfiguration {

  @Bean(destroyMethod = "close")
  MetricsHttpServer lifeboatMetricsServer(
      Environment env, ObjectProvider<PrometheusMeterRegistry> registry) throws IOException {
    int port = env.getProperty("lifeboat.metrics.port", Integer.class, 9464);
    PrometheusMeterRegistry prometheus = registry.getIfAvailable();
    if (port < 0 || prometheus == null) {
      return MetricsHttpServer.off();
    }
    return new MetricsHttpServer(
        env.getProperty("lifeboat.metrics.bind", "127.0.0.1"), port, prometheus::scrape);
  }
}
