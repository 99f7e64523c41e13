package io.lifeboat.stage.dump;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The dump stage as its own service (consumer group {@value DumpStageConfiguration#GROUP}), with
 * the recovery step executor.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  DumpStageConfiguration.class,
  io.lifeboat.recovery.executor.RecoveryExecutorConfiguration.class,
  io.lifeboat.stage.common.metrics.StageMetricsConfiguration.class
})
public class DumpStageApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(DumpStageApplication.class);
    app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
    app.run(args);
  }
}
