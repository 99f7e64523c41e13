package io.lifeboat.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.storage.local.LocalBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest extends BackendContractTest {

  @TempDir Path dir;

  @Override
  protected Backend newBackend() {
    return new LocalBackend(dir.resolve("repo"), true);
  }

  @Test
  void objects_areFilesUnderTheirNames_andTempLeftoversAreNotListed() throws Exception {
    backend.putIfAbsent("chunks/ab/abc", bytes("x"));
    Path file = dir.resolve("repo/chunks/ab/abc");
    assertThat(file).hasContent("x");
    Files.writeString(dir.resolve("repo/chunks/ab/.abc.tmp-crashed"), "partial");

    List<ObjectInfo> listed = new ArrayList<>();
    backend.list("chunks/", listed::add);
    assertThat(listed).containsExactly(new ObjectInfo("chunks/ab/abc", 1));
    try (var files = Files.list(dir.resolve("repo/chunks/ab"))) {
      assertThat(
              files.filter(
                  p ->
                      p.getFileName().toString().contains(".tmp-")
                          && !p.toString().endsWith("crashed")))
          .isEmpty();
    }
  }

  @Test
  void registry_opensPlainPathsAndFileUris() {
    Backend a = BackendRegistry.standard().open(dir.resolve("r1").toString());
    Backend b = BackendRegistry.standard().open(dir.resolve("r2").toUri().toString());
    assertThat(io.lifeboat.core.storage.decorate.Backends.unwrap(a, LocalBackend.class))
        .isPresent();
    assertThat(b.location()).startsWith("file:").contains("/r2");
  }
}
