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
 * @param sourceRoots folders that folder sources may lie under; when not configured: the whole file
 *     system in single mode, {@link #ROLES_SOURCE_ROOTS} in roles mode ({@code
 *     lifeboat.auth.mode=roles}), minus what is always denied (lifeboat.home, the key file, /proc,
 *     /sys, /dev, and in roles mode {@link #ROLES_DENIED})
 * @param databaseHosts database hosts sources may name; empty: any
 * @param passwordFileDir the only folder {@code ?passwordFile=} may read from; default
 *     lifeboat.home/passwords
 */
@ConfigurationProperties("lifeboat.stage.dump")
public record DumpStageProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("360") int maxDumpMinutes,
    @DefaultValue("none") String wireCompression,
    @Nullable List<String> sourceRoots,
    @DefaultValue List<String> databaseHosts,
    @Nullable String passwordFileDir) {

  /**
   * The folders sources may lie under in roles mode when {@code source-roots} is not configured: an
   * operator backs up applications' configuration, data and logs, not the whole machine.
   */
  public static final List<String> ROLES_SOURCE_ROOTS =
      List.of("/etc", "/srv", "/opt", "/var/lib", "/var/log", "/var/backups", "/tmp");

  /**
   * What roles mode never reads, whatever {@code source-roots} says: the machine's password hashes,
   * sudo rules, SSH host keys, TLS private keys and root's home. A folder that contains one (such
   * as {@code /etc}) is refused too: back up the folders beside it.
   */
  public static final List<String> ROLES_DENIED =
      List.of(
          "/etc/shadow",
          "/etc/gshadow",
          "/etc/sudoers",
          "/etc/sudoers.d",
          "/etc/ssh",
          "/etc/ssl/private",
          "/root");

  /** The source roots in force: the configured ones, else this mode's default. */
  public List<String> sourceRoots(boolean roles) {
    if (sourceRoots != null) {
      return sourceRoots;
    }
    return roles ? ROLES_SOURCE_ROOTS : List.of("/");
  }
}
