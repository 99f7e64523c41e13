package io.lifeboat.stage.common.auth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who asked for a request sent over Kafka, as the service that authenticated them says: it travels
 * with the record in the {@value ActorSignatures#CLAIM} header, signed by that service (see {@link
 * ActorSignatures}), so the service that acts on the record can check the role itself.
 *
 * @param signer the service that authenticated the actor and signed: {@code api} (the coordinator's
 *     API) or {@code scheduler}
 * @param key the record key the claim was made for: a claim moved to another record is refused
 * @param name the actor (a token's name, or a schedule for the scheduler)
 * @param role what the actor may do
 * @param tokenId the token's id (never its secret); empty when none
 * @param issuedAt when the signer made the claim
 * @param approvedBy the second admin who approved a held change; empty when none
 */
public record ActorClaim(
    String signer,
    String key,
    String name,
    Role role,
    String tokenId,
    Instant issuedAt,
    String approvedBy) {

  private static final String VERSION = "v1";

  /** The text the header carries: URL-encoded fields separated by spaces. */
  public String encode() {
    return String.join(
        " ",
        VERSION,
        escape(signer),
        escape(key),
        escape(name),
        role.label(),
        escape(tokenId),
        Long.toString(issuedAt.toEpochMilli()),
        escape(approvedBy));
  }

  /** The claim a header holds, or empty when it is not one this version wrote. */
  public static Optional<ActorClaim> decode(@Nullable String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] f = text.split(" ", -1);
    if (f.length != 8 || !f[0].equals(VERSION)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ActorClaim(
              unescape(f[1]),
              unescape(f[2]),
              unescape(f[3]),
              Role.parse(f[4]),
              unescape(f[5]),
              Instant.ofEpochMilli(Long.parseLong(f[6])),
              unescape(f[7])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * URL-encoded, so no field holds the separator; "~" (which the encoding never gives) for empty.
   */
  private static String escape(String s) {
    return s.isEmpty() ? "~" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String unescape(String s) {
    return s.equals("~") ? "" : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
