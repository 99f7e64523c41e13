package io.lifeboat.catalog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The catalog projector and its HTTP API as their own service (port 8080 by default). */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CatalogConfiguration.class)
public class CatalogApplication {
  public static void main(String[] args) {
    SpringApplication.run(CatalogApplication.class, args);
  }
}
