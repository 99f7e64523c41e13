package io.lifeboat.stage.seal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.stage.seal.*}.
 *
 * @param concurrency consumer threads (at most the raw topic's partitions are busy)
 * @param batchRecords raw chunks per transaction
 * @param deleteSealedEverySeconds how often sealed plaintext is deleted from the raw topic
 */
@ConfigurationProperties("lifeboat.stage.seal")
public record SealStageProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("16") int batchRecords,
    @DefaultValue("10") long deleteSealedEverySeconds) {}
