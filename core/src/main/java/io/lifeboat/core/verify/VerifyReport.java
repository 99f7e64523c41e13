package io.lifeboat.core.verify;

import java.time.Duration;
import java.util.List;

/**
 * Result of re-reading a backup.
 *
 * @param backupId the backup checked
 * @param chunksChecked chunk reads done
 * @param bytesChecked plaintext bytes authenticated
 * @param damaged chunks that are missing, altered or do not match their id
 * @param problems other findings (stream checksum mismatch)
 * @param duration time it took
 */
public record VerifyReport(
    String backupId,
    int chunksChecked,
    long bytesChecked,
    List<Damage> damaged,
    List<String> problems,
    Duration duration) {

  public VerifyReport {
    damaged = List.copyOf(damaged);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return damaged.isEmpty() && problems.isEmpty();
  }

  /**
   * One bad chunk.
   *
   * @param component component it belongs to
   * @param index position in the component stream
   * @param chunkId its id (hex)
   * @param reason what is wrong
   */
  public record Damage(String component, int index, String chunkId, String reason) {}
}
