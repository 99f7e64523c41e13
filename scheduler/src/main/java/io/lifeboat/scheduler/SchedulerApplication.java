package io.lifeboat.scheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The scheduler as its own service (its health on port 8080 by default). */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SchedulerConfiguration.class)
public class SchedulerApplication {
  public static void main(String[] args) {
    SpringApplication.run(SchedulerApplication.class, args);
  }
}
