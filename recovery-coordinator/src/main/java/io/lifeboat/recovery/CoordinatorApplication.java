package io.lifeboat.recovery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The recovery coordinator and its plan API as their own service. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CoordinatorConfiguration.class)
public class CoordinatorApplication {
  public static void main(String[] args) {
    SpringApplication.run(CoordinatorApplication.class, args);
  }
}
