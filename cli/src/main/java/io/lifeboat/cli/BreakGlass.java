package io.lifeboat.cli;

import org.jspecify.annotations.Nullable;

/**
 * The commands that act on storage with the master key ({@code delete --break-glass}, {@code
 * forget}, {@code prune}) bypass every service, so no role can be checked. With roles on they run
 * only with {@code --break-glass "REASON"}, and only after the API ({@code POST /api/break-glass},
 * with the caller's token) has put an audit event ({@code BREAK_GLASS}: the token's name, the
 * operating-system user and host in its details) and a critical {@code security.break-glass} alert
 * on Kafka: whoever holds the key can still act, but not unseen. The command line's own Kafka login
 * may write neither (every host user shares it; decision 0032).
 */
final class BreakGlass {

  private BreakGlass() {}

  /** The {@code --break-glass REASON} option of the commands that act on storage. */
  static final class Reason {
    @picocli.CommandLine.Option(
        names = "--break-glass",
        paramLabel = "REASON",
        description =
            "With roles on: act on the storage with the master key anyway, where no role is"
                + " checked; the reason is audited and alerted on first")
    @Nullable String reason;
  }

  /**
   * Lets the command go on: at once when roles are off; with roles on, once the reason is recorded.
   *
   * @throws CliException USAGE without a reason, ERROR when the record cannot be written (nothing
   *     is done then)
   */
  static void check(
      CliSettings settings, String command, String action, String target, @Nullable String reason)
      throws CliException {
    if (!settings.viaApi()) {
      return;
    }
    if (reason == null || reason.isBlank()) {
      throw new CliException(
          ExitCodes.USAGE,
          "roles are on here, and `lifeboat "
              + command
              + "` acts on the storage with the master key, where no role is checked; give"
              + " --break-glass \"REASON\" to do it anyway (an audit event and a critical alert are"
              + " sent first)");
    }
    String user = System.getProperty("user.name", "");
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "";
    }
    java.util.Map<String, String> body = new java.util.LinkedHashMap<>();
    body.put("command", command);
    body.put("action", action);
    body.put("target", target);
    body.put("reason", reason);
    body.put("osUser", user);
    body.put("host", host);
    java.util.Map.Entry<Integer, tools.jackson.databind.JsonNode> answer;
    try {
      answer = ApiGet.post(settings, "/api/break-glass", Json.line(body));
    } catch (CliException e) {
      throw new CliException(
          ExitCodes.ERROR,
          "cannot record the break-glass through the API ("
              + e.getMessage()
              + "): nothing done; the record must come first");
    }
    if (answer.getKey() != 200) {
      tools.jackson.databind.JsonNode error = answer.getValue().path("error");
      throw new CliException(
          ExitCodes.ERROR,
          "the API did not record the break-glass ("
              + answer.getKey()
              + (error.isMissingNode() ? "" : ": " + error.asString())
              + "): nothing done; the record must come first (send a token with --token-file or"
              + " LIFEBOAT_TOKEN)");
    }
  }
}
