package io.lifeboat.recovery.executor;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.recovery.executor.*}.
 *
 * @param enabled run recovery steps in this process
 * @param scratchDir where recovery tests put scratch folders; defaults to lifeboat.home/scratch
 * @param journalDir where steps note what they changed, to start again cleanly after a crash;
 *     defaults to lifeboat.home/recovery-journal
 * @param parallelism chunks fetched at once while restoring
 * @param maxStepHours longest a step may run (the consumer's poll interval)
 * @param maxCommandAge step commands older than this are skipped (match the coordinator's step
 *     timeout)
 * @param commandChecks run the command checks of recovery plans (off by default: a command check
 *     runs a program a plan names)
 * @param commandChecksRunAs the user command checks run as (the executor must run as root); empty:
 *     the executor's own user
 * @param commandKeyFile the key the coordinator signs step commands with; defaults to
 *     lifeboat.home/recovery-command.key
 * @param sqlCheckUser the role SQL checks connect as: one that can do no more than read
 *     (PostgreSQL: {@code CREATE ROLE lifeboat_check LOGIN; GRANT pg_read_all_data TO
 *     lifeboat_check}); checks are refused when it may do more
 * @param sqlCheckPasswordFile that role's password, if it needs one
 * @param checkHosts hosts HTTP checks may reach besides the database hosts of the recovery's own
 *     targets
 */
@ConfigurationProperties("lifeboat.recovery.executor")
public record RecoveryExecutorProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String scratchDir,
    @Nullable String journalDir,
    @DefaultValue("4") int parallelism,
    @DefaultValue("12") int maxStepHours,
    @DefaultValue("6h") java.time.Duration maxCommandAge,
    @DefaultValue("false") boolean commandChecks,
    @Nullable String commandChecksRunAs,
    @Nullable String commandKeyFile,
    @DefaultValue("lifeboat_check") String sqlCheckUser,
    @Nullable String sqlCheckPasswordFile,
    @DefaultValue List<String> checkHosts) {

  CommandCheckPolicy commandPolicy() {
    return new CommandCheckPolicy(
        commandChecks,
        commandChecksRunAs == null || commandChecksRunAs.isBlank()
            ? null
            : commandChecksRunAs.strip());
  }
}
