package io.lifeboat.stage.upload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.stage.upload.*}.
 *
 * @param concurrency consumer threads (at most the sealed topic's partitions are busy)
 */
@ConfigurationProperties("lifeboat.stage.upload")
public record UploadStageProperties(@DefaultValue("3") int concurrency) {}
