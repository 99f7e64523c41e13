package io.lifeboat.stage.verify;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.stage.verify.*}.
 *
 * @param concurrency backups verified in parallel
 * @param chunkParallelism chunks read back in parallel per instance
 * @param noProgressTimeout how long to wait for the next chunk to reach storage before the backup
 *     is declared failed
 * @param reusedChunkWindow how long a chunk this instance authenticated is trusted when later
 *     backups reuse it; after that it is read back and authenticated again (0: every reuse)
 */
@ConfigurationProperties("lifeboat.stage.verify")
public record VerifyStageProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("4") int chunkParallelism,
    @DefaultValue("10m") Duration noProgressTimeout,
    @DefaultValue("7d") Duration reusedChunkWindow) {}
