package io.lifeboat.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.scheduler.*}.
 *
 * @param applicationId Kafka Streams application id (consumer group, changelog and transactional id
 *     prefix)
 * @param stateDir where the persistent stores live; defaults under lifeboat.home
 * @param tick how often the scheduler looks at the clock
 * @param lateAfter a slot fired later than this after its time is alerted as missed
 * @param maxRun a scheduled backup not ended after this long stops holding back the next slots
 */
@ConfigurationProperties("lifeboat.scheduler")
public record SchedulerProperties(
    @DefaultValue("lifeboat-scheduler") String applicationId,
    String stateDir,
    @DefaultValue("1s") Duration tick,
    @DefaultValue("1m") Duration lateAfter,
    @DefaultValue("24h") Duration maxRun) {}
