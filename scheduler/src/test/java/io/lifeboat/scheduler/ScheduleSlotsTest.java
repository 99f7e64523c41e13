package io.lifeboat.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleSlotsTest {

  static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void fiveFields_areMinutes_atSecondZero() {
    ScheduleSlots every = ScheduleSlots.of("* * * * *", "UTC");
    assertThat(every.next(t("2026-12-01T08:00:30Z"))).contains(t("2026-12-01T08:01:00Z"));
  }

  @Test
  void nothingIsDue_beforeTheNextSlot() {
    ScheduleSlots every = ScheduleSlots.of("* * * * *", "UTC");
    assertThat(every.due(t("2026-12-01T08:00:00Z"), t("2026-12-01T08:00:59.999Z"))).isEmpty();
  }

  @Test
  void theSlotIsDue_atItsTime_andNoSlotIsSkipped() {
    ScheduleSlots every = ScheduleSlots.of("* * * * *", "UTC");
    assertThat(every.due(t("2026-12-01T08:00:00Z"), t("2026-12-01T08:01:00Z")))
        .contains(new ScheduleSlots.Due(t("2026-12-01T08:01:00Z"), 0));
  }

  @Test
  void afterALongStop_onlyTheNewestSlotIsDue_andTheOthersAreCounted() {
    ScheduleSlots every = ScheduleSlots.of("*/5 * * * *", "UTC");
    assertThat(every.due(t("2026-12-01T08:00:00Z"), t("2026-12-01T09:02:00Z")))
        .contains(new ScheduleSlots.Due(t("2026-12-01T09:00:00Z"), 11));
  }

  @Test
  void theZoneDecidesWhenADailySlotIs() {
    ScheduleSlots nightly = ScheduleSlots.of("30 2 * * *", "Europe/Berlin");
    // 02:30 in Berlin in winter is 01:30 UTC
    assertThat(nightly.next(t("2026-12-01T00:00:00Z"))).contains(t("2026-12-01T01:30:00Z"));
  }

  @Test
  void macrosAndSecondsWork() {
    assertThat(ScheduleSlots.of("@daily", "UTC").next(t("2026-12-01T08:00:00Z")))
        .contains(t("2026-12-02T00:00:00Z"));
    assertThat(ScheduleSlots.of("*/10 * * * * *", "UTC").next(t("2026-12-01T08:00:01Z")))
        .contains(t("2026-12-01T08:00:10Z"));
  }

  @Test
  void badExpressionsAndZones_sayWhat() {
    assertThatThrownBy(() -> ScheduleSlots.of("every day", "UTC"))
        .hasMessageContaining("invalid cron expression 'every day'");
    assertThatThrownBy(() -> ScheduleSlots.of("0 3 * * *", "Mars/Olympus"))
        .hasMessageContaining("unknown time zone 'Mars/Olympus'");
  }
}
