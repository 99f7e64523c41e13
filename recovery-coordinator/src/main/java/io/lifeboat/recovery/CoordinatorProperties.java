package io.lifeboat.recovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.recovery.coordinator.*}.
 *
 * @param enabled run the coordinator in this process
 * @param applicationId Kafka Streams application id (consumer group, changelog and transactional id
 *     prefix)
 * @param stateDir where the persistent stores live; defaults under lifeboat.home
 * @param stepTimeout how long a step may go without an executor's answer before it counts as failed
 * @param requestMaxAge a recovery request older than this when the coordinator first sees it is not
 *     run (answered INVALID, "expired"): a coordinator that was down for long must not start old
 *     recoveries
 * @param catalogUrl the catalog API, for plan previews (which backups a plan would use); defaults
 *     to this process's own API
 * @param commandKeyFile the key that signs recovery step commands (the executors hold the same);
 *     defaults to lifeboat.home/recovery-command.key, made by {@code lifeboat init} or {@code
 *     lifeboat up}
 */
@ConfigurationProperties("lifeboat.recovery.coordinator")
public record CoordinatorProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("lifeboat-recovery-coordinator") String applicationId,
    String stateDir,
    @DefaultValue("6h") Duration stepTimeout,
    String catalogUrl,
    @DefaultValue("1h") Duration requestMaxAge,
    String commandKeyFile) {}
