package io.lifeboat.stage.dump;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.stage.dump.*}.
 *
 * @param concurrency backups dumped in parallel by this instance
 * @param maxDumpMinutes longest a single dump may take before Kafka considers the consumer dead
 * @param wireCompression Kafka compression of the dump stage's records (none by default: raw chunks
 *     travel encrypted and do not compress; lz4 or zstd still shrink the metadata events)
 * @param sourceRoots folders that folder sources may lie under (default: the whole file system,
 *     minus what is always denied: lifeboat.home, the key file, /proc, /sys, /dev)
 * @param databaseHosts database hosts sources may name; empty: any
 * @param passwordFileDir the only folder {@code ?passwordFile=} may read from; default
 *     lifeboat.home/passwords
 */
@ConfigurationProperties("lifeboat.stage.dump")
public record DumpStageProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("360") int maxDumpMinutes,
    @DefaultValue("none") String wireCompression,
    @DefaultValue("/") List<String> sourceRoots,
    @DefaultValue List<String> databaseHosts,
    @Nullable String passwordFileDir) {}
