package io.lifeboat.recovery;

import io.lifeboat.recovery.topology.CoordinatorTopology;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.streams.StreamsService;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the coordinator topology with exactly-once processing: a saga step's state change and the
 * commands it sends commit together, so a restart resumes from the stored state and sends no
 * command twice.
 */
public final class CoordinatorStreams extends StreamsService {

  private final byte[] commandKey;

  /**
   * @param commandKey signs the step commands, so executors act only on the coordinator's
   */
  public CoordinatorStreams(
      KafkaClients clients,
      CoordinatorProperties properties,
      String stateDir,
      byte[] commandKey,
      io.lifeboat.recovery.topology.CoordinatorTopology.RequestSecurity security) {
    super(
        clients,
        properties.applicationId(),
        stateDir,
        StreamsConfig.EXACTLY_ONCE_V2,
        () ->
            CoordinatorTopology.build(
                properties.stepTimeout(), properties.requestMaxAge(), commandKey, security));
    this.commandKey = commandKey.clone();
  }

  /** The recovery command key: it also signs the plans the coordinator's API attaches. */
  public byte[] commandKey() {
    return commandKey.clone();
  }
}
