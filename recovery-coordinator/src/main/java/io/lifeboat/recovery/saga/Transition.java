package io.lifeboat.recovery.saga;

import io.lifeboat.events.Alert;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStepCommand;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one input did to an execution.
 *
 * @param execution the new state (to store and publish), or null when the input changed nothing
 * @param commands step commands to publish
 * @param alerts alerts to raise
 */
public record Transition(
    @Nullable RecoveryExecution execution, List<RecoveryStepCommand> commands, List<Alert> alerts) {

  public Transition {
    commands = List.copyOf(commands);
    alerts = List.copyOf(alerts);
  }

  static Transition none() {
    return new Transition(null, List.of(), List.of());
  }

  public boolean changed() {
    return execution != null;
  }
}
