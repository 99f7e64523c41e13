package io.lifeboat.scheduler;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the scheduler remembers of one schedule (its store, backed by a changelog topic, so a
 * restarted or moved scheduler carries on from here).
 *
 * @param lastSlot the newest slot fired or skipped; no slot at or before it fires again
 * @param running the id of the backup fired and not ended yet, or null
 * @param runningSince when it was fired
 * @param lastSuccess when the newest successful backup of this schedule completed, or null
 * @param since when the scheduler first saw the schedule (its RPO counts from here until a backup
 *     succeeds)
 * @param rpoBreached whether the RPO alert is raised and not cleared yet
 */
public record RunState(
    Instant lastSlot,
    @Nullable String running,
    @Nullable Instant runningSince,
    @Nullable Instant lastSuccess,
    Instant since,
    boolean rpoBreached) {

  public static RunState first(Instant definedAt) {
    return new RunState(definedAt, null, null, null, definedAt, false);
  }

  public RunState withLastSlot(Instant slot) {
    return new RunState(slot, running, runningSince, lastSuccess, since, rpoBreached);
  }

  public RunState fired(Instant slot, String id, Instant now) {
    return new RunState(slot, id, now, lastSuccess, since, rpoBreached);
  }

  public RunState ended() {
    return new RunState(lastSlot, null, null, lastSuccess, since, rpoBreached);
  }

  public RunState succeeded(Instant at) {
    Instant newest = lastSuccess == null || at.isAfter(lastSuccess) ? at : lastSuccess;
    return new RunState(lastSlot, running, runningSince, newest, since, false);
  }

  public RunState breached() {
    return new RunState(lastSlot, running, runningSince, lastSuccess, since, true);
  }
}
