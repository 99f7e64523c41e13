package io.lifeboat.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.storage.BackendFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CloudFactoriesTest {

  @Test
  void theServiceLoaderFindsAllThreeSchemes() {
    Map<String, String> byScheme =
        ServiceLoader.load(BackendFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .collect(
                Collectors.toMap(
                    BackendFactory::scheme, f -> f.getClass().getSimpleName(), (a, b) -> a));
    assertThat(byScheme)
        .containsEntry("s3", "S3BackendFactory")
        .containsEntry("azure", "AzureBackendFactory")
        .containsEntry("gs", "GcsBackendFactory");
  }
}
