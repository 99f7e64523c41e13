package io.lifeboat.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.retention.Retention.Backup;
import io.lifeboat.core.retention.Retention.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {

  static final ZoneId UTC = ZoneOffset.UTC;
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  /** One backup a day at 02:00 for two years, newest yesterday night. */
  static List<Backup> twoYearsOfNightlies() {
    List<Backup> out = new ArrayList<>();
    LocalDate day = LocalDate.of(2026, 11, 30);
    for (int i = 0; i < 730; i++) {
      Instant at = day.minusDays(i).atTime(2, 0).toInstant(ZoneOffset.UTC);
      out.add(new Backup("b" + i, "nightly", at, "SUCCESS", Map.of()));
    }
    return out;
  }

  static Set<String> keptIds(List<Decision> decisions) {
    Set<String> s = new HashSet<>();
    decisions.stream().filter(Decision::keep).forEach(d -> s.add(d.backup().id()));
    return s;
  }

  @Test
  void theDefault_keeps30Daily12Weekly12Monthly_distinct() {
    List<Decision> d =
        Retention.decide(twoYearsOfNightlies(), RetentionPolicy.DEFAULT, NOW, UTC, Map.of());

    assertThat(keptIds(d)).hasSize(30 + 12 + 12);
    assertThat(
            d.stream()
                .filter(x -> x.keep() && x.reasons().stream().anyMatch(r -> r.startsWith("daily"))))
        .hasSize(30);
    assertThat(
            d.stream()
                .filter(
                    x -> x.keep() && x.reasons().stream().anyMatch(r -> r.startsWith("weekly"))))
        .hasSize(12);
    assertThat(
            d.stream()
                .filter(
                    x -> x.keep() && x.reasons().stream().anyMatch(r -> r.startsWith("monthly"))))
        .hasSize(12);
    // the 30 newest days, all of them
    for (int i = 0; i < 30; i++) {
      assertThat(keptIds(d)).contains("b" + i);
    }
    // weekly ones are each the newest (Sunday) of their ISO week, older than the dailies
    d.stream()
        .filter(x -> x.reasons().stream().anyMatch(r -> r.startsWith("weekly")))
        .forEach(
            x ->
                assertThat(x.backup().completedAt().atZone(UTC).getDayOfWeek())
                    .isEqualTo(java.time.DayOfWeek.SUNDAY));
    // every removal says why
    d.stream()
        .filter(x -> !x.keep())
        .forEach(x -> assertThat(x.reasons()).singleElement().asString().contains("no rule"));
    assertThat(d).hasSize(730);
  }

  @Test
  void keepLast_andWithin_andLabels() {
    List<Backup> all = new ArrayList<>(twoYearsOfNightlies());
    all.add(
        new Backup(
            "pinned",
            "nightly",
            Instant.parse("2024-01-01T00:00:00Z"),
            "SUCCESS",
            Map.of(RetentionPolicy.PIN_LABEL, "audit")));
    all.add(
        new Backup(
            "release",
            "nightly",
            Instant.parse("2024-02-01T00:00:00Z"),
            "SUCCESS",
            Map.of("release", "v1")));
    RetentionPolicy p =
        new RetentionPolicy(3, 0, 0, 0, 0, 0, Duration.ofDays(10), List.of("release=v1"));

    List<Decision> d = Retention.decide(all, p, NOW, UTC, Map.of());

    // younger than 10 days: b0..b9 (b0 is 1.4 days old ... b9 10.4 days old? 02:00 each day)
    assertThat(keptIds(d)).contains("b0", "b1", "b2", "b9", "pinned", "release");
    assertThat(keptIds(d)).doesNotContain("b10", "b400");
    assertThat(
            d.stream()
                .filter(x -> x.backup().id().equals("pinned"))
                .findFirst()
                .orElseThrow()
                .reasons())
        .contains("pinned by label");
  }

  @Test
  void neverRemoved_theNewestSuccess_andProtected_evenByAnEmptyPolicy() {
    List<Backup> all =
        List.of(
            new Backup("old", "n", Instant.parse("2026-01-01T00:00:00Z"), "SUCCESS", Map.of()),
            new Backup("used", "n", Instant.parse("2026-02-01T00:00:00Z"), "SUCCESS", Map.of()),
            new Backup("good", "n", Instant.parse("2026-03-01T00:00:00Z"), "SUCCESS", Map.of()),
            new Backup("broken", "n", Instant.parse("2026-04-01T00:00:00Z"), "FAILED", Map.of()));
    RetentionPolicy none = new RetentionPolicy(0, 0, 0, 0, 0, 0, null, List.of());

    List<Decision> d =
        Retention.decide(all, none, NOW, UTC, Map.of("used", "in use by recovery r-1"));

    assertThat(keptIds(d)).containsExactlyInAnyOrder("good", "used");
    assertThat(d.get(0).backup().id()).isEqualTo("broken");
    assertThat(d.get(0).reasons().get(0)).contains("FAILED");
  }

  @Test
  void hourly_countsOnePerHour_inTheGivenZone() {
    List<Backup> all = new ArrayList<>();
    for (int i = 0; i < 24 * 4; i++) { // every 15 minutes for a day
      all.add(
          new Backup("q" + i, "n", NOW.minus(Duration.ofMinutes(15L * i)), "SUCCESS", Map.of()));
    }
    RetentionPolicy p = new RetentionPolicy(0, 6, 0, 0, 0, 0, null, List.of());

    assertThat(keptIds(Retention.decide(all, p, NOW, ZoneId.of("Asia/Kolkata"), Map.of())))
        .hasSize(6);
  }

  @Test
  void negativeCounts_areRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RetentionPolicy(-1, 0, 0, 0, 0, 0, null, List.of()))
        .hasMessageContaining("negative");
  }
}
