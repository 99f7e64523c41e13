package io.lifeboat.stage.common.auth;

import io.lifeboat.events.AuditEvent;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Roles over Kafka: the check a service makes before it acts on a request record (a backup, a
 * deletion, a recovery, a plan or a schedule). In roles mode the record must carry an actor claim
 * signed by the API or the scheduler ({@link ActorSignatures}), and the claimed role must cover
 * what the request does; otherwise the service refuses it, says why to the requester its own way (a
 * rejection, an INVALID execution) and writes an audit event. In single mode every request is
 * taken, as before.
 */
public final class KafkaRequestGuard {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestGuard.class);

  /** The topics whose records ask a service to act, and are checked in roles mode. */
  public static final Set<String> REQUEST_TOPICS =
      Set.of(
          Topics.BACKUP_REQUESTS.name(),
          Topics.BACKUP_CANCELLATIONS.name(),
          Topics.BACKUP_VERIFY_REQUESTS.name(),
          Topics.BACKUP_DELETE_REQUESTS.name(),
          Topics.RECOVERY_REQUESTS.name(),
          Topics.RECOVERY_PLANS.name(),
          Topics.SCHEDULES.name());

  private final boolean enforced;
  private final IdentityKeys keys;
  private final @Nullable AuditSink audit;
  private final String service;

  /**
   * @param enforced roles mode: check every request
   * @param keys the signers' public keys
   * @param audit where refusals are recorded; null to log them only
   * @param service this service's name in audit events
   */
  public KafkaRequestGuard(
      boolean enforced, IdentityKeys keys, @Nullable AuditSink audit, String service) {
    this.enforced = enforced;
    this.keys = keys;
    this.audit = audit;
    this.service = service;
  }

  /** The guard {@code lifeboat.auth.mode} asks for, with the public keys in the home. */
  public static KafkaRequestGuard from(Environment env, @Nullable AuditSink audit, String service) {
    boolean roles =
        env.getProperty("lifeboat.auth.mode", "single").strip().equalsIgnoreCase("roles");
    String home = env.getProperty("lifeboat.home", System.getProperty("user.home") + "/.lifeboat");
    Path dir = Path.of(env.getProperty("lifeboat.auth.identity-dir", home));
    return new KafkaRequestGuard(roles, new IdentityKeys(dir), audit, service);
  }

  public boolean enforced() {
    return enforced;
  }

  /** The same checks without audit events (for a second reader of a topic another one audits). */
  public KafkaRequestGuard quietly() {
    return new KafkaRequestGuard(enforced, keys, null, service);
  }

  /**
   * A {@link io.lifeboat.stage.common.TopicFollower} admission that hands on only what this guard
   * allows.
   *
   * @param target names what an event acts on (the record key when the event is a tombstone)
   */
  public <V> io.lifeboat.stage.common.TopicFollower.Admission<V> admitting(
      Operation operation, Role required, java.util.function.Function<V, String> target) {
    return (topic, key, headers, event) ->
        check(
                topic,
                key,
                headers,
                operation,
                required,
                "",
                event == null ? (key == null ? "" : key) : target.apply(event))
            .allowed();
  }

  /**
   * What the service may do with a request.
   *
   * @param allowed whether to act on it
   * @param claim who asked, when a signed claim said so
   * @param reason why not, for the requester; empty when allowed
   */
  public record Decision(boolean allowed, @Nullable ActorClaim claim, String reason) {}

  /**
   * Checks a consumed request record, and records an audit event when it is refused.
   *
   * @param required the least role the request needs
   * @param why what makes it need that role, for the reason ("it recovers into production"); may be
   *     empty
   * @param target what it acts on (backup id, plan, schedule, execution id)
   */
  public Decision check(
      String topic,
      @Nullable String key,
      Headers headers,
      Operation operation,
      Role required,
      String why,
      String target) {
    if (!enforced) {
      return new Decision(true, null, "");
    }
    ActorSignatures.Checked checked;
    try {
      checked = ActorSignatures.check(keys::publicKey, topic, key, headers);
    } catch (RuntimeException e) { // a public key file that cannot be read: refuse, say why
      checked = new ActorSignatures.Checked(null, "its claim cannot be checked: " + e.getMessage());
    }
    ActorClaim claim = checked.claim();
    if (claim == null) {
      return refuse(
          topic,
          operation,
          required,
          target,
          null,
          "refused in roles mode: the "
              + operation.action()
              + " request on "
              + topic
              + " is not from an authenticated sender ("
              + checked.refusal()
              + "); send it through the API with a token (lifeboat --token-file, LIFEBOAT_TOKEN)");
    }
    if (claim.signer().equals(IdentityKeys.SCHEDULER) && claim.role().covers(Role.ADMIN)) {
      return refuse(
          topic,
          operation,
          required,
          target,
          claim,
          "refused: the scheduler may not claim the admin role");
    }
    if (!claim.role().covers(required)) {
      return refuse(
          topic,
          operation,
          required,
          target,
          claim,
          "refused: "
              + claim.name()
              + " ("
              + claim.role().label()
              + ") may not "
              + operation.action()
              + (why.isEmpty() ? "" : " here: " + why)
              + "; it needs "
              + required.label());
    }
    return new Decision(true, claim, "");
  }

  /**
   * {@link #check} for a consumed record, and when it is refused a {@code request.refused} alert
   * through {@code template}: for services whose requests have no answer event of their own.
   *
   * @return whether to act on the record
   */
  public boolean allowsOrAlerts(
      org.apache.kafka.clients.consumer.ConsumerRecord<String, ?> record,
      Operation operation,
      Role required,
      String target,
      org.springframework.kafka.core.KafkaTemplate<Object, Object> template) {
    Decision may =
        check(record.topic(), record.key(), record.headers(), operation, required, "", target);
    if (!may.allowed()) {
      template.send(Topics.ALERTS.name(), target, refusalAlert(may, operation, target));
      template.flush();
    }
    return may.allowed();
  }

  /**
   * The alert that tells whoever follows the alerts topic that a request was refused (kind {@code
   * request.refused}).
   */
  static io.lifeboat.events.Alert refusalAlert(
      Decision refused, Operation operation, String target) {
    return io.lifeboat.events.Alert.newBuilder()
        .setEnvelope(Envelopes.next(target))
        .setSeverity(io.lifeboat.events.Severity.WARNING)
        .setKind("request.refused")
        .setSubject(target)
        .setMessage(operation.action() + " " + target + " " + refused.reason())
        .setLabels(
            refused.claim() == null
                ? Map.of("action", operation.action())
                : Map.of("action", operation.action(), "actor", refused.claim().name()))
        .build();
  }

  private Decision refuse(
      String topic,
      Operation operation,
      Role required,
      String target,
      @Nullable ActorClaim claim,
      String reason) {
    LOG.warn("{} {}: {}", operation.action(), target, reason);
    if (audit != null) {
      try {
        audit.record(
            AuditEvent.newBuilder()
                .setEnvelope(Envelopes.next(target.isEmpty() ? topic : target))
                .setAction(operation.action())
                .setTarget(target)
                .setOutcome("REFUSED")
                .setActor(claim == null ? "" : claim.name())
                .setRole(claim == null ? "" : claim.role().label())
                .setTokenId(claim == null ? "" : claim.tokenId())
                .setAuthenticated(claim != null)
                .setSource("kafka:" + topic)
                .setService(service)
                .setRequired(required.label())
                .setReason(reason)
                .setDetails(claim == null ? Map.of() : Map.of("signer", claim.signer()))
                .build());
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot record the refusal of {} {}: {}", operation.action(), target, e.toString());
      }
    }
    return new Decision(false, claim, reason);
  }
}
