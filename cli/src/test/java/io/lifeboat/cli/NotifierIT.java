package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.lifeboat.events.Alert;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.Severity;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.WebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications through the real pipeline: a backup that is rejected (its server does not answer),
 * one that fails while dumping (its role may not read a table), an RPO breach reported twice and a
 * recovery test that passes each reach a webhook and an SMTP server exactly once, although both
 * receivers were down when the notifications were first sent (they are retried); a backup whose
 * request asks for its outcome by mail gets it; and the webhook's secret token appears in no event.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class NotifierIT {

  static final String RUN = "lbnot_" + UUID.randomUUID().toString().substring(0, 8);
  static final String TOKEN = "T0KEN-" + UUID.randomUUID();
  static final JsonMapper JSON = JsonMapper.builder().build();
  static RunningLifeboat up;
  static String api;
  static GreenMail smtp;
  static WebhookReceiver hook;
  static boolean createdDatabase;

  @AfterAll
  static void stop() throws Exception {
    if (up != null) {
      up.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (hook != null) {
      hook.close();
    }
    if (createdDatabase) {
      DbTools.execute(
          DbTools.pg("postgres"),
          List.of(
              "DROP DATABASE IF EXISTS " + RUN + "_noread WITH (FORCE)",
              "DROP ROLE IF EXISTS " + RUN + "_noread"));
    }
  }

  static String[] cli(String... args) {
    return up.cli(args);
  }

  static JsonNode json(String... args) {
    Cli.Result r = Cli.run(cli(args));
    assertThat(r.out()).as(r.err()).isNotBlank();
    return JSON.readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
  }

  static double metric(String series) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : body.lines().toList()) {
      if (line.startsWith("lifeboat_notifications_total{") && matches(line, series)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Whether a series line has every label=value pair of {@code labels} ("a=x,b=y"). */
  static boolean matches(String line, String labels) {
    return Arrays.stream(labels.split(","))
        .allMatch(l -> line.contains(l.replace("=", "=\"") + "\""));
  }

  @Test
  void aFailedBackup_anRpoBreach_andAFinishedRecovery_reachWebhookAndEmailOnce_afterRetries()
      throws Exception {
    // both receivers are down at first: the webhook refuses this run's notifications (other
    // tests' alerts on the shared topics are taken and ignored), the SMTP server is not started
    hook = new WebhookReceiver(body -> body.contains(RUN));
    int smtpPort = FreePorts.next();
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    up =
        RunningLifeboat.start(
            RUN,
            Map.ofEntries(
                Map.entry("lifeboat.notify.group-id", "lifeboat-notifier-" + RUN),
                Map.entry("lifeboat.notify.backoff", "300ms"),
                Map.entry("lifeboat.notify.attempts", "10"),
                Map.entry("lifeboat.notify.channels.hook.type", "webhook"),
                Map.entry("lifeboat.notify.channels.hook.url", hook.url("/hooks/" + TOKEN)),
                Map.entry("lifeboat.notify.channels.mail.type", "email"),
                Map.entry("lifeboat.notify.channels.mail.host", "127.0.0.1"),
                Map.entry("lifeboat.notify.channels.mail.port", String.valueOf(smtpPort)),
                Map.entry("lifeboat.notify.channels.mail.from", "lifeboat@example.org"),
                Map.entry("lifeboat.notify.channels.mail.to", "oncall@example.org"),
                Map.entry(
                    "lifeboat.notify.rules[0].events",
                    "backup.failed,backup.rejected,backup.rpo-breached,recovery.succeeded"),
                Map.entry("lifeboat.notify.rules[0].channels", "hook,mail")));
    api = up.api;

    // 1. a backup that fails: nothing listens on port 1
    JsonNode failed =
        json("backup", "redis://127.0.0.1:1", "--name", "bad-" + RUN, "--wait", "--json");
    String failedId = failed.get("backupId").asString();
    String failedKind =
        "REJECTED".equals(failed.get("status").asString()) ? "backup.rejected" : "backup.failed";

    // 1b. a backup that starts and fails: its role may connect but not read the table
    String[] hp = DbTools.PG.split(":");
    io.lifeboat.testkit.RequiredServers.assume(
        "postgres",
        FreePorts.listening(hp[0], Integer.parseInt(hp[1])),
        "nothing listens on " + DbTools.PG);
    String db = RUN + "_noread";
    String role = RUN + "_noread";
    DbTools.execute(
        DbTools.pg("postgres"), List.of("CREATE DATABASE " + db, "CREATE ROLE " + role + " LOGIN"));
    DbTools.execute(
        DbTools.pg(db),
        List.of(
            "CREATE TABLE secret_orders (id int)",
            "INSERT INTO secret_orders VALUES (1)",
            "REVOKE ALL ON secret_orders FROM PUBLIC"));
    JsonNode dumpFailed =
        json(
            "backup",
            "postgres://" + role + "@" + DbTools.PG + "/" + db,
            "--name",
            "noread-" + RUN,
            "--wait",
            "--json");
    assertThat(dumpFailed.get("status").asString()).as(dumpFailed.toString()).isEqualTo("FAILED");
    String dumpFailedId = dumpFailed.get("backupId").asString();

    // 2. an RPO breach, reported twice (as the scheduler repeats it): one notification
    String schedule = "nightly-" + RUN;
    try (KafkaProducer<String, Alert> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
            new StringSerializer(),
            EventSerde.of(Topics.ALERTS))) {
      for (int i = 0; i < 2; i++) {
        p.send(
                new ProducerRecord<>(
                    Topics.ALERTS.name(),
                    schedule,
                    Alert.newBuilder()
                        .setEnvelope(Envelopes.next(schedule))
                        .setSeverity(Severity.CRITICAL)
                        .setKind("backup.rpo-breached")
                        .setSubject(schedule)
                        .setMessage("no successful backup of " + schedule + " for 26 h")
                        .setLabels(Map.of("schedule", schedule))
                        .build()))
            .get();
      }
    }

    // 3. a recovery test that passes
    // outside the home: the dump stage never reads Lifeboat's own home
    Path source =
        Files.createDirectories(Files.createTempDirectory("lifeboat-notify-src").resolve("conf"));
    Files.writeString(source.resolve("app.yaml"), "port: 8443\n");
    // its request asks for its own outcome by mail to a colleague (the rules send no success)
    JsonNode appBackup =
        json(
            "backup",
            "config:" + source,
            "--name",
            "app-" + RUN,
            "--notify",
            "mail:dba@example.org",
            "--wait",
            "--json");
    assertThat(appBackup.get("status").asString()).isEqualTo("SUCCESS");
    Path plan = up.home.resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        name: app-%s
        from: app-%s
        components:
          - name: config
            target: %s
        """
            .formatted(
                RUN, RUN, Files.createTempDirectory("lifeboat-restore").resolve("restored")));
    assertThat(Cli.run(cli("plan", "create", plan.toString())).exit()).isZero();
    JsonNode test = json("plan", "test", "app-" + RUN, "--json", "--timeout", "PT4M");
    assertThat(test.get("status").asString()).isEqualTo("SUCCEEDED");
    String executionId = test.get("executionId").asString();

    List<String> subjects = List.of(failedId, dumpFailedId, schedule, executionId);
    Eventually.until(
        "the webhook refused each of this run's notifications, and email was retried",
        () ->
            subjects.stream()
                    .allMatch(s -> hook.refused.stream().anyMatch(r -> r.body().contains(s)))
                && metric("channel=mail,kind=" + failedKind + ",outcome=retried") >= 1
                && metric("channel=mail,kind=backup.failed,outcome=retried") >= 1
                && metric("channel=mail,kind=backup.rpo-breached,outcome=retried") >= 1
                && metric("channel=mail,kind=recovery.succeeded,outcome=retried") >= 1);
    hook.up();
    smtp.start();

    Eventually.until(
        "each notification delivered to both",
        () ->
            subjects.stream().allMatch(s -> hook.acceptedContaining(s).size() == 1)
                && subjects.stream().allMatch(s -> mailsAbout(s).size() == 1));

    String appId = appBackup.get("backupId").asString();
    Eventually.until("the backup's own notification mailed", () -> mailsAbout(appId).size() == 1);
    assertThat(mailsAbout(appId).get(0).getAllRecipients()[0].toString())
        .isEqualTo("dba@example.org");
    assertThat(mailsAbout(appId).get(0).getSubject())
        .isEqualTo("Lifeboat: Backup app-" + RUN + " succeeded");
    assertThat(hook.acceptedContaining(appId)).isEmpty();

    JsonNode failure = JSON.readTree(hook.acceptedContaining(failedId).get(0));
    assertThat(failure.get("kind").asString()).isEqualTo(failedKind);
    assertThat(failure.get("labels").get("name").asString()).isEqualTo("bad-" + RUN);
    JsonNode dumpFailure = JSON.readTree(hook.acceptedContaining(dumpFailedId).get(0));
    assertThat(dumpFailure.get("kind").asString()).isEqualTo("backup.failed");
    assertThat(dumpFailure.get("severity").asString()).isEqualTo("CRITICAL");
    assertThat(dumpFailure.get("text").asString()).contains("permission denied");
    JsonNode recovery = JSON.readTree(hook.acceptedContaining(executionId).get(0));
    assertThat(recovery.get("kind").asString()).isEqualTo("recovery.succeeded");
    assertThat(recovery.get("text").asString()).contains("measured RTO");
    assertThat(mailsAbout(schedule).get(0).getSubject())
        .isEqualTo("Lifeboat: [CRITICAL] backup.rpo-breached: " + schedule);
    assertThat(hook.acceptedContaining(schedule)).hasSize(1); // the repeat was throttled
    assertThat(metric("channel=hook,kind=backup.rpo-breached,outcome=throttled")).isGreaterThan(0);

    // the webhook's token is configuration: in no event, no alert, no catalog answer
    assertThat(RecoveryEvents.all(Topics.ALERTS).toString()).doesNotContain(TOKEN);
    assertThat(
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(api + "/api/backups")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .doesNotContain(TOKEN);
  }

  static List<MimeMessage> mailsAbout(String subject) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(m -> GreenMailUtil.getWholeMessage(m).contains(subject))
        .toList();
  }
}
