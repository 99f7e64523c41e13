package io.lifeboat.stage.storage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.local.LocalBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

/** Readiness of the storage: a repository there is UP, an empty or unreadable location is not. */
class StorageHealthTest {

  @Test
  void aRepository_isUp_anEmptyFolderIsDown_sayingWhy(@TempDir Path dir) {
    LocalBackend empty = new LocalBackend(dir.resolve("empty"), true);
    assertThat(new StorageHealth(empty).health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(new StorageHealth(empty).health().getDetails().get("error"))
        .isEqualTo("no repository there (lifeboat init)");

    LocalBackend repo = new LocalBackend(dir.resolve("repo"), true);
    Repository.init(repo, MasterKey.generate(), ChunkerParams.defaults(7L));
    assertThat(new StorageHealth(repo).health().getStatus()).isEqualTo(Status.UP);
  }
}
