package io.lifeboat.catalog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.ComponentSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupFilterTest {

  private static CatalogEntry entry(String name, String source) {
    return CatalogEntry.newBuilder()
        .setBackupId(name + "-1")
        .setName(name)
        .setStatus("SUCCESS")
        .setUpdatedAt(Instant.EPOCH)
        .setComponentSpecs(
            List.of(new ComponentSpec(source.substring(0, source.indexOf(':')), source)))
        .build();
  }

  @Test
  void archivedWalFiles_areListedOnlyWhenAskedForByNameOrComponent() {
    CatalogEntry wal =
        entry("wal.shop-pg", "walseg:/pg_wal/000000010000000000000003?source=shop-pg");
    CatalogEntry base = entry("shop", "files:/etc/shop");
    BackupFilter any = new BackupFilter(null, null, null, null, null, null, 100);
    assertThat(any.matches(base)).isTrue();
    assertThat(any.matches(wal)).isFalse();
    assertThat(new BackupFilter("wal.shop-pg", null, null, null, null, null, 100).matches(wal))
        .isTrue();
    assertThat(new BackupFilter(null, "walseg", null, null, null, null, 100).matches(wal)).isTrue();
  }
}
