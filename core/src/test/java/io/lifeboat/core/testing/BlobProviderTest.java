package io.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentProviderContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the contract suite itself honest with the simplest provider. */
class BlobProviderTest extends ComponentProviderContractTest {

  @TempDir Path dir;
  int n;

  @Override
  protected ComponentProvider provider() {
    return new BlobProvider();
  }

  @Override
  protected String newSource() throws Exception {
    byte[] data = new byte[300_000];
    new Random(5).nextBytes(data);
    Path p = dir.resolve("source-" + n++);
    Files.write(p, data);
    return "blob:" + p;
  }

  @Override
  protected String newTarget() {
    return dir.resolve("target-" + n++).toString();
  }

  @Override
  protected String occupiedTarget() throws Exception {
    Path p = dir.resolve("occupied-" + n++);
    Files.writeString(p, "original content " + n);
    return p.toString();
  }

  @Override
  protected String missingSource() {
    return "blob:" + dir.resolve("missing");
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    assertThat(Files.readAllBytes(Path.of(targetSpec)))
        .isEqualTo(Files.readAllBytes(Path.of(sourceSpec.substring(5))));
  }

  @Override
  protected Object describe(String targetSpec) throws Exception {
    Path p = Path.of(targetSpec);
    return Files.exists(p) ? HexFormat.of().formatHex(Files.readAllBytes(p)) : "absent";
  }

  @Override
  protected void damage(String targetSpec) throws Exception {
    Files.write(Path.of(targetSpec), new byte[10]);
  }
}
