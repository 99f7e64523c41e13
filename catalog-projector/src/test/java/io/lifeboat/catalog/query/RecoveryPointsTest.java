package io.lifeboat.catalog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.CatalogEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RecoveryPointsTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  static CatalogEntry entry(
      String id, String name, String status, @Nullable Instant completedAt, String schedule) {
    return CatalogEntry.newBuilder()
        .setBackupId(id)
        .setName(name)
        .setStatus(status)
        .setCompletedAt(completedAt)
        .setUpdatedAt(NOW)
        .setLabels(schedule.isEmpty() ? Map.of() : Map.of("lifeboat.schedule", schedule))
        .build();
  }

  @Test
  void theNewestSuccess_isEachNamesAndEachSchedulesRecoveryPoint_andFailuresDoNotCount() {
    RecoveryPoints points =
        new RecoveryPoints(
            List.of(
                entry("a", "db", "SUCCESS", NOW.minusSeconds(7200), "nightly"),
                entry("b", "db", "SUCCESS", NOW.minusSeconds(3600), ""),
                entry("c", "db", "FAILED", NOW.minusSeconds(60), "nightly"),
                entry("d", "db", "PARTIAL", NOW.minusSeconds(30), "nightly"),
                entry("e", "web", "RUNNING", null, "")));

    assertThat(points.ofName("db", NOW).orElseThrow())
        .isEqualTo(
            new RecoveryPoints.Point("db", "b", NOW.minusSeconds(3600), Duration.ofHours(1)));
    assertThat(points.ofSchedule("nightly", NOW).backupId()).isEqualTo("a");
    assertThat(points.ofSchedule("nightly", NOW).age()).isEqualTo(Duration.ofHours(2));
    assertThat(points.ofName("web", NOW)).isEmpty();
    assertThat(points.ofSchedule("weekly", NOW).backupId()).isNull();
    assertThat(points.byName(NOW)).extracting(RecoveryPoints.Point::key).containsExactly("db");
  }
}
