package io.lifeboat.stage.upload;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The upload stage as its own service. It needs storage credentials but no repository key. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  UploadStageConfiguration.class,
  io.lifeboat.stage.common.metrics.StageMetricsConfiguration.class
})
public class UploadStageApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(UploadStageApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.run(args);
  }
}
