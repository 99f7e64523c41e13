package io.lifeboat.stage.seal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The compress-encrypt stage as its own service. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  SealStageConfiguration.class,
  io.lifeboat.stage.common.metrics.StageMetricsConfiguration.class
})
public class SealStageApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(SealStageApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.run(args);
  }
}
