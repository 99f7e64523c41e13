package io.lifeboat.scheduler;

import io.lifeboat.scheduler.topology.SchedulerTopology;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.streams.StreamsService;
import java.time.Clock;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the scheduler topology exactly once: a slot's request and the state that marks the slot
 * fired commit in one transaction, so a scheduler killed at any moment neither loses nor repeats a
 * slot when it (or another instance) takes over.
 */
public final class SchedulerStreams extends StreamsService {

  public SchedulerStreams(
      KafkaClients clients,
      SchedulerProperties properties,
      String stateDir,
      io.lifeboat.stage.common.auth.KafkaRequestGuard guard,
      java.security.PrivateKey identity) {
    super(
        clients,
        properties.applicationId(),
        stateDir,
        StreamsConfig.EXACTLY_ONCE_V2,
        () ->
            SchedulerTopology.build(
                new Scheduler(properties.lateAfter(), properties.maxRun()),
                properties.tick(),
                Clock.systemUTC(),
                guard,
                identity));
  }
}
