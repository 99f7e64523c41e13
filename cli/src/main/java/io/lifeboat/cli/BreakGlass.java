package io.lifeboat.cli;

import io.lifeboat.events.Alert;
import io.lifeboat.events.AuditEvent;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.Severity;
import io.lifeboat.events.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * The commands that act on storage with the master key ({@code delete --break-glass}, {@code
 * forget}, {@code prune}) bypass every service, so no role can be checked. With roles on they run
 * only with {@code --break-glass "REASON"}, and only after an audit event ({@code BREAK_GLASS}, the
 * operating-system user, not authenticated) and a critical {@code security.break-glass} alert are
 * on Kafka: whoever holds the key can still act, but not unseen.
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
    String subject = target.isEmpty() ? command : target;
    AuditEvent audit =
        AuditEvent.newBuilder()
            .setEnvelope(Envelopes.next(subject))
            .setAction(action)
            .setTarget(target)
            .setOutcome("BREAK_GLASS")
            .setActor(user)
            .setAuthenticated(false)
            .setSource("cli@" + host)
            .setService("cli")
            .setReason(reason)
            .setDetails(Map.of("command", command))
            .build();
    Alert alert =
        Alert.newBuilder()
            .setEnvelope(Envelopes.next(subject))
            .setSeverity(Severity.CRITICAL)
            .setKind("security.break-glass")
            .setSubject(subject)
            .setMessage(
                "break glass: "
                    + user
                    + "@"
                    + host
                    + " runs `lifeboat "
                    + command
                    + "` on the storage, outside the roles: "
                    + reason)
            .setLabels(Map.of("action", action, "user", user))
            .build();
    Map<String, Object> p = new HashMap<>(settings.kafkaProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    try (KafkaProducer<String, AuditEvent> a =
            new KafkaProducer<>(p, new StringSerializer(), EventSerde.of(Topics.AUDIT));
        KafkaProducer<String, Alert> b =
            new KafkaProducer<>(p, new StringSerializer(), EventSerde.of(Topics.ALERTS))) {
      a.send(new ProducerRecord<>(Topics.AUDIT.name(), audit.getEnvelope().getEventId(), audit))
          .get(30, TimeUnit.SECONDS);
      b.send(new ProducerRecord<>(Topics.ALERTS.name(), subject, alert)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted: nothing done");
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | org.apache.kafka.common.KafkaException e) {
      throw new CliException(
          ExitCodes.ERROR,
          "cannot record the break-glass on Kafka ("
              + e.getMessage()
              + "): nothing done; the record must come first");
    }
  }
}
