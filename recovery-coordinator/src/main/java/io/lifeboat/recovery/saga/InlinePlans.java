package io.lifeboat.recovery.saga;

import io.lifeboat.events.EventSignatures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * A plan given with a request (the API's restore of one backup) is run only when the coordinator
 * itself attached it: signed with the recovery command key, which only the coordinator holds.
 * Whoever else may send recovery requests (the scheduler, the command line) can run stored plans
 * only, so none of them can restore into a target of its choosing.
 */
public final class InlinePlans {

  private InlinePlans() {}

  public static ByteBuffer sign(byte[] commandKey, String executionId, String planJson) {
    return ByteBuffer.wrap(mac(commandKey, executionId, planJson));
  }

  public static boolean signedBy(
      byte[] commandKey, String executionId, String planJson, @Nullable ByteBuffer signature) {
    if (signature == null) {
      return false;
    }
    byte[] given = new byte[signature.remaining()];
    signature.duplicate().get(given);
    return MessageDigest.isEqual(mac(commandKey, executionId, planJson), given);
  }

  private static byte[] mac(byte[] key, String executionId, String planJson) {
    return EventSignatures.mac(
        key, "inline-plan:" + executionId, planJson.getBytes(StandardCharsets.UTF_8));
  }
}
