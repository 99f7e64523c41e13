package io.lifeboat.recovery.executor;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.recovery.*}: where the recovery executor may restore (decision 0033).
 *
 * @param targetRoots folders restores may write into (a target may also be exactly the folder its
 *     backup came from); never the home, keys, credentials, repository or system folders, whatever
 *     is configured
 */
@ConfigurationProperties("lifeboat.recovery")
public record RecoveryTargetProperties(
    @DefaultValue({"/srv", "/tmp", "/var/tmp"}) List<String> targetRoots) {}
