package io.lifeboat.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The notifier as its own service. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(NotifierConfiguration.class)
public class NotifierApplication {
  public static void main(String[] args) {
    SpringApplication.run(NotifierApplication.class, args);
  }
}
