package io.lifeboat.catalog.topology;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStatus;
import java.util.Set;

/**
 * Which of two states of one recovery execution the catalog keeps. The coordinator publishes the
 * whole state at every change, so the newest one (by envelope time) wins; a record that arrives
 * late (older than the stored one) is dropped. A final status is never turned back into a running
 * one, except by the COMPENSATING that starts a requested rollback.
 */
public final class RecoveryFold {

  static final Set<RecoveryStatus> FINAL =
      Set.of(
          RecoveryStatus.SUCCEEDED,
          RecoveryStatus.INVALID,
          RecoveryStatus.FAILED,
          RecoveryStatus.ROLLED_BACK);

  private RecoveryFold() {}

  public static RecoveryExecution latest(RecoveryExecution current, RecoveryExecution incoming) {
    if (current == null) {
      return incoming;
    }
    if (incoming.getEnvelope().getTime().isBefore(current.getEnvelope().getTime())) {
      return current;
    }
    boolean reopens = FINAL.contains(current.getStatus()) && !FINAL.contains(incoming.getStatus());
    boolean rollback =
        incoming.getStatus() == RecoveryStatus.COMPENSATING && incoming.getRollbackRequested();
    return reopens && !rollback ? current : incoming;
  }
}
