package io.lifeboat.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendContractTest;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.testkit.Azurite;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backend contract and error classification against Azurite 3.35 run as a node process. */
class AzureBackendIT extends BackendContractTest {

  static final String CONTAINER = "lifeboat-it";
  static Azurite azurite;

  @BeforeAll
  static void startAzurite() throws Exception {
    Optional<String> missing = Azurite.unavailable();
    RequiredServers.assume("azurite", missing.isEmpty(), missing.orElse(""));
    azurite = Azurite.start();
    System.setProperty("azure.storage.key", Azurite.KEY);
    new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient()
        .createBlobContainer(CONTAINER);
  }

  @AfterAll
  static void stopAzurite() {
    System.clearProperty("azure.storage.key");
    if (azurite != null) {
      azurite.close();
      assertThat(azurite.isRunning()).isFalse();
    }
  }

  @Override
  protected Backend newBackend() {
    return open(CONTAINER, azurite.endpoint());
  }

  static Backend open(String container, String endpoint) {
    return new AzureBackendFactory()
        .create(
            URI.create(
                "azure://"
                    + Azurite.ACCOUNT
                    + "/"
                    + container
                    + "/repo-"
                    + UUID.randomUUID()
                    + "?endpoint="
                    + endpoint));
  }

  @Test
  void missingContainer_isPermanent_andNamesIt() {
    try (Backend b = open("no-such-container", azurite.endpoint())) {
      for (Runnable op :
          new Runnable[] {
            () -> b.putIfAbsent("x", new byte[1]), () -> b.size("x"), () -> b.get("x")
          }) {
        StorageException e = catchThrowableOfType(StorageException.class, op::run);
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage())
            .isEqualTo(
                "container no-such-container does not exist in account devstoreaccount1 at "
                    + azurite.endpoint());
      }
    }
  }

  @Test
  void wrongKey_isPermanent_andTheKeyIsNowhereInTheError() {
    byte[] random = new byte[64];
    new java.util.Random().nextBytes(random);
    String wrong = Base64.getEncoder().encodeToString(random);
    System.setProperty("azure.storage.key", wrong);
    try (Backend b = open(CONTAINER, azurite.endpoint())) {
      StorageException e =
          catchThrowableOfType(StorageException.class, () -> b.putIfAbsent("x", new byte[1]));
      assertThat(e.isPermanent()).isTrue();
      assertThat(e.getMessage())
          .startsWith(
              "access denied to azure://devstoreaccount1/" + CONTAINER + " (check credentials)");
      assertThat(stackTrace(e)).doesNotContain(wrong).doesNotContain(Azurite.KEY);
    } finally {
      System.setProperty("azure.storage.key", Azurite.KEY);
    }
  }

  @Test
  void connectionString_isUsedFirst() {
    AzureLocation loc =
        AzureLocation.parse(
            URI.create("azure://devstoreaccount1/" + CONTAINER + "/cs-" + UUID.randomUUID()));
    Map<String, String> props =
        Map.of(
            "azure.storage.connectionString",
            azurite.connectionString(),
            "azure.storage.key",
            "bm90LXRoaXM=");
    try (Backend b = new AzureBackend(loc, AzureBackend.clientFor(loc, props::get, v -> null))) {
      assertThat(b.putIfAbsent("x", new byte[] {7})).isTrue();
      assertThat(b.get("x")).containsExactly(7);
    }
  }

  @Test
  void noCredentials_isPermanent_andSaysWhereTheyComeFrom() {
    AzureLocation loc = AzureLocation.parse(URI.create("azure://devstoreaccount1/" + CONTAINER));
    StorageException e =
        catchThrowableOfType(
            StorageException.class, () -> AzureBackend.clientFor(loc, p -> null, v -> null));
    assertThat(e.isPermanent()).isTrue();
    assertThat(e.getMessage())
        .contains("AZURE_STORAGE_CONNECTION_STRING")
        .contains("azure.storage.key");
  }

  @Test
  void nothingListening_isTransient() {
    String endpoint = "http://127.0.0.1:" + FreePorts.next() + "/" + Azurite.ACCOUNT;
    try (Backend b = open(CONTAINER, endpoint)) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> b.size("x"));
      assertThat(e.isPermanent()).isFalse();
      assertThat(e.getMessage()).contains("not reachable");
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
