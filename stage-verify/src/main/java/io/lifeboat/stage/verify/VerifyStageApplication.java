package io.lifeboat.stage.verify;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The verify stage as its own service. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  VerifyStageConfiguration.class,
  io.lifeboat.stage.common.metrics.StageMetricsConfiguration.class
})
public class VerifyStageApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(VerifyStageApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.run(args);
  }
}
