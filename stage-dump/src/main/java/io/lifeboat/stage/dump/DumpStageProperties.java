package io.lifeboat.stage.dump;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.stage.dump.*}.
 *
 * @param concurrency backups dumped in parallel by this instance
 * @param maxDumpMinutes longest a single dump may take before Kafka considers the consumer dead
 * @param wireCompression Kafka compression of the raw chunk records (lz4: cheap, and most dumps
 *     and logs shrink several times on the wire and on the brokers' disks; none to turn it off)
 */
@ConfigurationProperties("lifeboat.stage.dump")
public record DumpStageProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("360") int maxDumpMinutes,
    @DefaultValue("lz4") String wireCompression) {}
