package io.lifeboat.client;

import java.util.List;

/**
 * A stored backup read back and authenticated by the verify stage.
 *
 * @param backupId the backup
 * @param verificationId the request it answers
 * @param ok every chunk is there and authentic
 * @param chunksChecked chunks read
 * @param bytesChecked plaintext bytes authenticated
 * @param durationMs how long it took
 * @param problems missing or damaged chunks, or why it could not be checked
 */
public record VerificationResult(
    String backupId,
    String verificationId,
    boolean ok,
    long chunksChecked,
    long bytesChecked,
    long durationMs,
    List<String> problems) {}
