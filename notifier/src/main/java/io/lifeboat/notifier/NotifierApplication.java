package io.lifeboat.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The notifier as its own service (its series on the metrics port, 9464 by default). */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  NotifierConfiguration.class,
  io.lifeboat.stage.common.metrics.StageMetricsConfiguration.class
})
public class NotifierApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(NotifierApplication.class);
    app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
    app.run(args);
  }
}
