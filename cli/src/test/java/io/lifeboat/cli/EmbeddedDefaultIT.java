package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.CatalogQuery;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The newcomer's path: `lifeboat demo` on a fresh home (embedded broker as a child JVM, every
 * stage, the catalog), then a restart of the embedded default on the same home finds the demo's
 * backups again: requests, events and the catalog survive a restart.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class EmbeddedDefaultIT {

  @Test
  void demo_thenRestart_keepsTheCatalog() throws Exception {
    Path home = Files.createTempDirectory("lifeboat-demo");
    int kafkaPort = FreePorts.pair();
    int apiPort = FreePorts.stable();
    String[] common = {
      "--home",
      home.toString(),
      "--kafka-port",
      Integer.toString(kafkaPort),
      "--api-port",
      Integer.toString(apiPort)
    };

    Cli.Result demo = Cli.run(concat(new String[] {"demo"}, common));

    assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out())
        .contains("A new master key was generated")
        .contains("identical to the source")
        .contains("0 new chunks")
        .contains("OK");
    assertThat(home.resolve("key")).exists();
    assertThat(home.resolve("kafka/data/meta.properties")).exists();

    AllInOne again =
        AllInOne.start(
            new AllInOne.Options(
                home,
                home.resolve("repository").toString(),
                java.util.List.of(),
                home.resolve("key"),
                kafkaPort,
                apiPort,
                null,
                Map.of()),
            System.out);
    try {
      CatalogClient catalog = new CatalogClient(again.apiUrl());
      List<BackupView> found =
          Eventually.await(
              "the restarted catalog to list the demo's 3 backups",
              () -> catalog.list(new CatalogQuery("demo", null, "SUCCESS", null, null, null, null)),
              l -> l.size() >= 3);
      assertThat(found).hasSize(3);
      Cli.Result verify = Cli.run(concat(new String[] {"verify", "latest"}, common));
      assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    } finally {
      again.close();
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
