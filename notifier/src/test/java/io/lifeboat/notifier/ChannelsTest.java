package io.lifeboat.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The channels against real receivers (an HTTP server, an in-process SMTP server), and the
 * dispatcher's rules, retries, throttling and failure reports. No Kafka.
 */
class ChannelsTest {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Notification FAILED =
      new Notification(
          "backup.failed",
          "CRITICAL",
          "20261201T100000Z-ab12",
          "[CRITICAL] backup.failed: 20261201T100000Z-ab12",
          "1 of 2 components failed: postgres: connection refused",
          Map.of("name", "shop"),
          Instant.parse("2026-12-01T10:00:09Z"));

  /** The email channel "mail" to oncall@example.org through the SMTP server on {@code port}. */
  static EmailChannel mail(int port, @Nullable String user, @Nullable String password) {
    return new EmailChannel(
        "mail",
        new EmailChannel.Settings(
            "127.0.0.1",
            port,
            user,
            password,
            "lifeboat@example.org",
            List.of("oncall@example.org"),
            false,
            Duration.ofSeconds(5),
            List.of()));
  }

  static Dispatcher dispatcher(
      List<Channel> channels,
      List<NotifyRule> rules,
      Duration throttle,
      int attempts,
      List<Dispatcher.Failure> failures) {
    return new Dispatcher(
        channels,
        rules,
        throttle,
        new Dispatcher.Retry(attempts, Duration.ofMillis(50), Duration.ofMillis(200)),
        failures::add,
        new SimpleMeterRegistry(),
        Clock.systemUTC());
  }

  @Test
  void aWebhook_getsLifeboatsJson_andSlackGetsItsText() throws Exception {
    try (WebhookReceiver r = new WebhookReceiver(0)) {
      new WebhookChannel(
              "hook", URI.create(r.url("/hook")), WebhookChannel.Format.JSON, Duration.ofSeconds(5))
          .send(FAILED, List.of());
      new WebhookChannel(
              "chat",
              URI.create(r.url("/slack")),
              WebhookChannel.Format.SLACK,
              Duration.ofSeconds(5))
          .send(FAILED, List.of());
      JsonNode doc = JSON.readTree(r.accepted.get(0).body());
      assertThat(doc.get("kind").asString()).isEqualTo("backup.failed");
      assertThat(doc.get("subject").asString()).isEqualTo("20261201T100000Z-ab12");
      assertThat(doc.get("labels").get("name").asString()).isEqualTo("shop");
      JsonNode slack = JSON.readTree(r.accepted.get(1).body());
      assertThat(slack.get("text").asString())
          .contains("*[CRITICAL] backup.failed: 20261201T100000Z-ab12*")
          .contains("connection refused");
    }
  }

  @Test
  void aRefusedWebhook_failsWithItsStatus_neverItsUrl() throws Exception {
    try (WebhookReceiver r = new WebhookReceiver(1)) {
      WebhookChannel hook =
          new WebhookChannel(
              "hook",
              URI.create(r.url("/services/T000/B000/s3cr3tT0ken")),
              WebhookChannel.Format.SLACK,
              Duration.ofSeconds(5));
      assertThatThrownBy(() -> hook.send(FAILED, List.of()))
          .isInstanceOf(DeliveryException.class)
          .hasMessage("webhook hook answered HTTP 503")
          .message()
          .doesNotContain("s3cr3tT0ken");
    }
  }

  @Test
  void email_reachesTheSmtpServer_withLogin_andABadPasswordIsNotInTheError() throws Exception {
    int port = FreePorts.next();
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.setUser("lifeboat@example.org", "lifeboat", "mail-pa55");
    smtp.start();
    try {
      mail(port, "lifeboat", "mail-pa55").send(FAILED, List.of());
      MimeMessage[] got = smtp.getReceivedMessages();
      assertThat(got).hasSize(1);
      assertThat(got[0].getSubject())
          .isEqualTo("Lifeboat: [CRITICAL] backup.failed: 20261201T100000Z-ab12");
      assertThat(got[0].getAllRecipients()[0].toString()).isEqualTo("oncall@example.org");
      assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(got[0]))
          .contains("connection refused");

      EmailChannel wrong = mail(port, "lifeboat", "not-the-pa55word");
      assertThatThrownBy(() -> wrong.send(FAILED, List.of()))
          .isInstanceOf(DeliveryException.class)
          .message()
          .contains("email mail via 127.0.0.1:" + port)
          .doesNotContain("not-the-pa55word");
    } finally {
      smtp.stop();
    }
  }

  @Test
  void aReceiverDownAtFirst_getsTheNotificationOnce_afterRetries() throws Exception {
    try (WebhookReceiver r = new WebhookReceiver(2)) {
      List<Dispatcher.Failure> failures = new CopyOnWriteArrayList<>();
      try (Dispatcher d =
          dispatcher(
              List.of(
                  new WebhookChannel(
                      "hook",
                      URI.create(r.url("/hook")),
                      WebhookChannel.Format.JSON,
                      Duration.ofSeconds(5))),
              List.of(new NotifyRule(List.of("backup.*"), List.of("hook"))),
              Duration.ofMinutes(15),
              5,
              failures)) {
        assertThat(d.dispatch(FAILED)).isEqualTo(1);
        Eventually.until("delivered", () -> r.accepted.size() == 1);
        assertThat(r.requests.get()).isEqualTo(3); // refused twice, then taken
        // the same alert again within the window: held back; a kind no rule selects: nowhere
        assertThat(d.dispatch(FAILED)).isZero();
        assertThat(
                d.dispatch(
                    new Notification(
                        "recovery.succeeded", "INFO", "x-1", "t", "t", Map.of(), Instant.now())))
            .isZero();
        assertThat(failures).isEmpty();
      }
    }
  }

  @Test
  void aDeliveryThatFailsEveryAttempt_isReportedOnce_withoutTheSecret() throws Exception {
    try (WebhookReceiver r = new WebhookReceiver(100)) {
      List<Dispatcher.Failure> failures = new CopyOnWriteArrayList<>();
      try (Dispatcher d =
          dispatcher(
              List.of(
                  new WebhookChannel(
                      "chat",
                      URI.create(r.url("/hooks/s3cr3tT0ken")),
                      WebhookChannel.Format.SLACK,
                      Duration.ofSeconds(5))),
              List.of(),
              Duration.ofMinutes(15),
              3,
              failures)) {
        assertThat(d.rules()).hasSize(1); // the default rule: every problem to every channel
        assertThat(d.dispatch(FAILED)).isEqualTo(1);
        Eventually.until("given up", () -> failures.size() == 1);
        assertThat(r.requests.get()).isEqualTo(3);
        Dispatcher.Failure f = failures.get(0);
        assertThat(f.channel()).isEqualTo("chat");
        assertThat(f.reason()).isEqualTo("webhook chat answered HTTP 503");
        // its own report goes to the other channels, not back to the one that failed
        assertThat(d.channelsFor("notification.failed")).containsExactly("chat");
        assertThat(
                d.dispatch(
                    new Notification(
                        "notification.failed",
                        "WARNING",
                        f.notification().subject(),
                        "t",
                        "t",
                        Map.of("channel", "chat"),
                        Instant.now())))
            .isZero();
      }
    }
  }

  @Test
  void aRuleNamingAnUnknownChannel_isRefusedAtStart() {
    assertThatThrownBy(
            () ->
                dispatcher(
                    List.of(),
                    List.of(new NotifyRule(List.of("*"), List.of("pager"))),
                    Duration.ZERO,
                    1,
                    new CopyOnWriteArrayList<>()))
        .hasMessageContaining("'pager', which is not configured");
  }

  @Test
  void channelSettings_areCheckedWithoutEchoingSecrets() {
    assertThatThrownBy(
            () ->
                Channels.of(
                    Map.of(
                        "x",
                        new NotifierProperties.ChannelProperties(
                            "webhook",
                            "ftp://user:s3cr3t@host/x",
                            null,
                            25,
                            null,
                            null,
                            "a@b",
                            List.of(),
                            false,
                            Duration.ofSeconds(1),
                            List.of()))))
        .hasMessage("notification channel x: its url must be http:// or https://");
    assertThat(
            new NotifierProperties.ChannelProperties(
                    "email",
                    null,
                    "h",
                    25,
                    "u",
                    "pw-s3cr3t",
                    "a@b",
                    List.of(),
                    false,
                    Duration.ZERO,
                    List.of())
                .toString())
        .doesNotContain("pw-s3cr3t");
  }

  @Test
  void aBackupRequestsOwnSetting_addsItsChannelAndRecipients_withinTheAllowedDomains()
      throws Exception {
    int port = FreePorts.next();
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try (WebhookReceiver r = new WebhookReceiver(0)) {
      EmailChannel mail = mail(port, null, null);
      WebhookChannel hook =
          new WebhookChannel(
              "hook",
              URI.create(r.url("/hook")),
              WebhookChannel.Format.JSON,
              Duration.ofSeconds(5));
      List<Dispatcher.Failure> failures = new CopyOnWriteArrayList<>();
      try (Dispatcher d =
          dispatcher(
              List.of(hook, mail),
              List.of(new NotifyRule(List.of("backup.failed"), List.of("hook"))),
              Duration.ofMinutes(15),
              3,
              failures)) {
        Notification ok =
            new Notification(
                "backup.succeeded",
                "INFO",
                "b-1",
                "Backup shop succeeded",
                "fine",
                Map.of("backupId", "b-1"),
                Instant.now());
        // the rules send no success anywhere; the request asks for mail to a colleague
        assertThat(
                d.dispatch(
                    ok,
                    List.of(
                        io.lifeboat.events.NotificationSetting.newBuilder()
                            .setChannel("mail")
                            .setRecipients(List.of("dba@example.org"))
                            .build())))
            .isEqualTo(1);
        Eventually.until("mailed", () -> smtp.getReceivedMessages().length == 1);
        assertThat(smtp.getReceivedMessages()[0].getAllRecipients()[0].toString())
            .isEqualTo("dba@example.org");

        // an address outside the channel's domains is not mailed: its own recipients are
        Notification bad =
            new Notification(
                "backup.failed",
                "CRITICAL",
                "b-2",
                "t",
                "t",
                Map.of("backupId", "b-2"),
                Instant.now());
        assertThat(
                d.dispatch(
                    bad,
                    List.of(
                        io.lifeboat.events.NotificationSetting.newBuilder()
                            .setChannel("mail")
                            .setRecipients(List.of("someone@elsewhere.example.com"))
                            .build(),
                        // the hook is the rules' already: once, not twice
                        io.lifeboat.events.NotificationSetting.newBuilder()
                            .setChannel("hook")
                            .build(),
                        // only the kinds it asks for
                        io.lifeboat.events.NotificationSetting.newBuilder()
                            .setChannel("mail")
                            .setEvents(List.of("backup.succeeded"))
                            .setRecipients(List.of("dba@example.org"))
                            .build())))
            .isEqualTo(2);
        Eventually.until(
            "mailed and posted",
            () -> smtp.getReceivedMessages().length == 2 && r.accepted.size() == 1);
        assertThat(smtp.getReceivedMessages()[1].getAllRecipients()[0].toString())
            .isEqualTo("oncall@example.org");
        assertThat(failures).isEmpty();
      }
    } finally {
      smtp.stop();
    }
  }
}
