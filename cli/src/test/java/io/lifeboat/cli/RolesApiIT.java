package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.BackupDeleteRequested;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventCodec;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.auth.ActorClaim;
import io.lifeboat.stage.common.auth.ActorSignatures;
import io.lifeboat.stage.common.auth.IdentityKeys;
import io.lifeboat.stage.common.auth.Role;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TestBroker;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Roles mode over the API, on a real pipeline: named tokens made with {@code lifeboat token add}
 * while it runs, each role doing what it may and refused (403 with the reason) for the rest, and
 * every change and refusal on the audit topic, read back through the catalog ({@code GET
 * /api/audit}) and {@code lifeboat audit}.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class RolesApiIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = ApiSession.JSON;
  static RunningLifeboat lifeboat;
  static ApiSession session;
  static Path scratch;
  static String viewer;
  static String operator;
  static String admin;
  static String backupId;

  @BeforeAll
  static void start() throws Exception {
    scratch = Files.createTempDirectory("roles-" + RUN);
    lifeboat =
        RunningLifeboat.start(
            "roles-" + RUN,
            Map.of(
                "lifeboat.auth.mode",
                "roles",
                "lifeboat.auth.production.targets",
                scratch + "/prod-*",
                // a scheduler of its own (tests run without one by default): it checks schedules
                "lifeboat.scheduler.enabled",
                "true",
                "lifeboat.scheduler.application-id",
                "scheduler-roles-" + RUN));
    session = new ApiSession(lifeboat, scratch);
    // tokens made while it runs: the API reads the file again when it changes
    viewer = token("vera-" + RUN, "viewer");
    operator = token("otto-" + RUN, "operator");
    admin = token("ada-" + RUN, "admin");
    session.reader = viewer;

    Path source = Files.createDirectories(scratch.resolve("source"));
    Files.writeString(source.resolve("app.conf"), "port = 8080\n");
    Cli.Result b = Cli.run(lifeboat.cli("backup", "files:" + source, "--wait", "--json"));
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    backupId = JSON.readTree(b.out()).get("backupId").asString();
    session.awaitBackup(backupId, admin); // the catalog, which the API asks, follows the completion
  }

  @AfterAll
  static void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  @Test
  void readsNeedAToken_anyRoleMayRead_andARevokedTokenStopsWorking() throws Exception {
    assertThat(call("GET", "/api/backups", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/api/backups", null, "lbt_00000000_nope").statusCode()).isEqualTo(401);
    for (String t : List.of(viewer, operator, admin)) {
      HttpResponse<String> r = call("GET", "/api/backups/" + backupId, null, t);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    String temp = token("temp-" + RUN, "viewer");
    assertThat(call("GET", "/api/plans", null, temp).statusCode()).isEqualTo(200);
    Cli.Result revoked = Cli.run(lifeboat.cli("token", "revoke", "temp-" + RUN));
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    assertThat(call("GET", "/api/plans", null, temp).statusCode()).isEqualTo(401);

    Cli.Result list = Cli.run(lifeboat.cli("token", "list"));
    assertThat(list.out())
        .contains("vera-" + RUN)
        .contains("operator")
        .doesNotContain("temp-" + RUN);
    assertThat(list.out()).doesNotContain(viewer.substring(14));
  }

  @Test
  void eachRole_mayDoWhatItMay_andIsRefusedTheRest_withAnAuditEventForEach() throws Exception {
    String backupBody =
        "{\"name\":\"roles-"
            + RUN
            + "\",\"components\":[\"files:"
            + scratch.resolve("source")
            + "\"]}";
    // a viewer reads only
    refused(
        call("POST", "/api/backups", backupBody, viewer), "backup.create", "operator", "viewer");
    // an operator backs up, verifies and restores outside production ...
    assertThat(call("POST", "/api/backups", backupBody, operator).statusCode()).isEqualTo(202);
    assertThat(call("POST", "/api/backups/" + backupId + "/verify", null, operator).statusCode())
        .isEqualTo(202);
    String devRestore = "{\"to\":\"" + scratch.resolve("dev-app") + "\",\"mode\":\"VALIDATE\"}";
    assertThat(
            call("POST", "/api/backups/" + backupId + "/restore", devRestore, operator)
                .statusCode())
        .isEqualTo(202);
    // ... but not into production, nor deletes, schedules or rollbacks
    String prodRestore = "{\"to\":\"" + scratch.resolve("prod-app") + "\"}";
    HttpResponse<String> prod =
        call("POST", "/api/backups/" + backupId + "/restore", prodRestore, operator);
    refused(prod, "backup.restore", "admin", "operator");
    assertThat(prod.body()).contains("production");
    refused(
        call("DELETE", "/api/backups/" + backupId, null, operator),
        "backup.delete",
        "admin",
        "operator");
    String schedule =
        "{\"name\":\"roles-"
            + RUN
            + "\",\"cron\":\"0 3 * * *\",\"components\":{\"app\":\"files:"
            + scratch.resolve("source")
            + "\"},\"retention\":{\"keep-last\":\"1\"}}";
    refused(
        call("POST", "/api/schedules", schedule, operator), "schedule.define", "admin", "operator");
    refused(
        call("POST", "/api/recoveries/nothing-" + RUN + "/rollback", null, operator),
        "recovery.rollback",
        "admin",
        "operator");
    // retention rides only on a schedule: a request cannot carry it
    String labelled =
        backupBody.replace("}", ",\"labels\":{\"lifeboat.retention\":\"keep-last=1\"}}");
    HttpResponse<String> label = call("POST", "/api/backups", labelled, operator);
    assertThat(label.statusCode()).as(label.body()).isEqualTo(400);
    assertThat(label.body()).contains("lifeboat.");
    assertThat(Files.exists(scratch.resolve("prod-app"))).isFalse();

    // an admin may do all of it
    assertThat(call("POST", "/api/schedules", schedule, admin).statusCode()).isEqualTo(201);
    assertThat(call("DELETE", "/api/schedules/roles-" + RUN, null, admin).statusCode())
        .isEqualTo(204);
    HttpResponse<String> adminRestore =
        call(
            "POST",
            "/api/backups/" + backupId + "/restore",
            "{\"to\":\"" + scratch.resolve("prod-app") + "\",\"mode\":\"VALIDATE\"}",
            admin);
    assertThat(adminRestore.statusCode()).as(adminRestore.body()).isEqualTo(202);
    assertThat(call("DELETE", "/api/backups/" + backupId, null, admin).statusCode()).isEqualTo(202);

    // the audit trail has each of them, with who, their role, what they needed, and why
    JsonNode deleteRefused =
        awaitAudit(
            "?target=" + backupId + "&action=backup.delete&outcome=REFUSED",
            e -> e.path("actor").asString().equals("otto-" + RUN));
    assertThat(deleteRefused.path("role").asString()).isEqualTo("operator");
    assertThat(deleteRefused.path("required").asString()).isEqualTo("admin");
    assertThat(deleteRefused.path("status").asInt()).isEqualTo(403);
    assertThat(deleteRefused.path("reason").asString()).contains("admin");
    assertThat(deleteRefused.path("source").asString()).isEqualTo("127.0.0.1");
    assertThat(deleteRefused.path("authenticated").asBoolean()).isTrue();
    JsonNode deleted =
        awaitAudit(
            "?target=" + backupId + "&action=backup.delete&outcome=ACCEPTED",
            e -> e.path("actor").asString().equals("ada-" + RUN));
    assertThat(deleted.path("role").asString()).isEqualTo("admin");
    JsonNode prodRefused =
        awaitAudit(
            "?actor=otto-" + RUN + "&action=backup.restore&outcome=REFUSED",
            e -> e.path("reason").asString().contains("production"));
    assertThat(prodRefused.path("details").path("mode").asString()).isEqualTo("EXECUTE");
    awaitAudit("?actor=vera-" + RUN + "&action=backup.create&outcome=REFUSED", e -> true);
    awaitAudit("?actor=otto-" + RUN + "&action=backup.create&outcome=ACCEPTED", e -> true);
    awaitAudit("?actor=ada-" + RUN + "&action=schedule&outcome=ACCEPTED", e -> true);
    awaitAudit(
        "?actor=otto-" + RUN + "&action=backup.create&outcome=FAILED",
        e -> e.path("status").asInt() == 400);

    // the events the API sent carry the person, not "api"
    JsonNode schedules = awaitAudit("?actor=ada-" + RUN + "&action=schedule.define", e -> true);
    assertThat(schedules.path("target").asString()).isEmpty();
    // a viewer may read the trail; lifeboat audit shows it
    Cli.Result audit =
        Cli.run(
            lifeboat.cli(
                "audit",
                "--actor",
                "otto-" + RUN,
                "--outcome",
                "REFUSED",
                "--token-file",
                scratch.resolve("vera-" + RUN + ".token").toString()));
    assertThat(audit.exit()).as(audit.err()).isZero();
    assertThat(audit.out())
        .contains("backup.delete")
        .contains("schedule.define")
        .contains("otto-" + RUN);
    // no token value is ever in the trail
    HttpResponse<String> all = call("GET", "/api/audit?limit=1000", null, viewer);
    assertThat(all.body()).doesNotContain(operator).doesNotContain(admin).doesNotContain(viewer);
  }

  @Test
  void callsWithoutAValidToken_areAuditedAsUnauthenticated() throws Exception {
    String path = "/api/backups/" + backupId + "/verify";
    assertThat(call("POST", path, null, "lbt_0badc0de_" + RUN).statusCode()).isEqualTo(401);
    JsonNode e =
        awaitAudit(
            "?target=" + backupId + "&outcome=UNAUTHENTICATED",
            x -> x.path("action").asString().equals("backup.verify"));
    assertThat(e.path("actor").asString()).isEmpty();
    assertThat(e.path("authenticated").asBoolean()).isFalse();
    assertThat(e.path("status").asInt()).isEqualTo(401);
  }

  /**
   * Roles over Kafka: records put straight on the request topics, with a claim signed by the API's
   * key for each role (the test holds the key file, as the coordinator does), or unsigned, forged
   * or moved. The service that acts checks the role itself.
   */
  @Test
  void overKafka_theServiceThatActs_checksTheSignedRole_andRefusesUnsignedOrForgedRequests()
      throws Exception {
    PrivateKey api = IdentityKeys.loadOrCreate(lifeboat.home, IdentityKeys.API);
    Path source = scratch.resolve("source");
    // unsigned, as a producer with only Kafka credentials would send it: rejected with the reason
    String unsigned = "kafka-unsigned-" + RUN;
    send(Topics.BACKUP_REQUESTS, unsigned, backup(unsigned, source), null, null);
    assertThat(awaitRejection(unsigned)).contains("not from an authenticated sender");
    // a viewer's claim: rejected, and audited by the dump stage
    String byViewer = "kafka-viewer-" + RUN;
    send(Topics.BACKUP_REQUESTS, byViewer, backup(byViewer, source), api, claim(byViewer, "vera"));
    assertThat(awaitRejection(byViewer)).contains("(viewer) may not backup.create");
    JsonNode refusal = awaitAudit("?target=" + byViewer + "&outcome=REFUSED", e -> true);
    assertThat(refusal.path("service").asString()).isEqualTo("stage-dump");
    assertThat(refusal.path("actor").asString()).isEqualTo("vera-" + RUN);
    assertThat(refusal.path("required").asString()).isEqualTo("operator");
    assertThat(refusal.path("source").asString())
        .isEqualTo("kafka:" + Topics.BACKUP_REQUESTS.name());
    // an operator's: backed up
    String byOperator = "kafka-operator-" + RUN;
    send(
        Topics.BACKUP_REQUESTS,
        byOperator,
        backup(byOperator, source),
        api,
        claim(byOperator, "otto"));
    session.awaitBackup(byOperator, admin);

    // a rollback of a recovery that ran is an admin's: an operator's leaves it as it was, with
    // the refusal as its notice
    HttpResponse<String> restored =
        call(
            "POST",
            "/api/backups/" + byOperator + "/restore",
            "{\"to\":\"" + scratch.resolve("dev-kafka") + "\"}",
            operator);
    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(202);
    String ran = JSON.readTree(restored.body()).get("executionId").asString();
    Eventually.await(
        "the restore " + ran + " to succeed",
        () -> lastExecution(ran),
        x -> x != null && x.getStatus() == RecoveryStatus.SUCCEEDED);
    send(Topics.RECOVERY_REQUESTS, ran, rollback(ran), api, claim(ran, "otto"));
    RecoveryExecution noted =
        Eventually.await(
            "the refused rollback's notice on " + ran,
            () -> lastExecution(ran),
            x -> x != null && String.valueOf(x.getNotice()).contains("may not recovery.rollback"));
    assertThat(noted.getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(noted.getRolledBack()).isFalse();
    assertThat(Files.exists(scratch.resolve("dev-kafka"))).isTrue();

    // deleting it: an operator's claim is refused (an alert says so, the backup stays) ...
    send(
        Topics.BACKUP_DELETE_REQUESTS,
        byOperator,
        delete(byOperator),
        api,
        claim(byOperator, "otto"));
    awaitAudit(
        "?target=" + byOperator + "&action=backup.delete&outcome=REFUSED",
        e -> e.path("service").asString().equals("stage-verify"));
    assertThat(
            RecoveryEvents.all(Topics.ALERTS).stream()
                .filter(a -> a.getKind().equals("request.refused")))
        .anyMatch(a -> a.getSubject().equals(byOperator) && a.getMessage().contains("admin"));
    // ... so is an admin's claim moved onto another record, and one signed with another key ...
    ProducerRecord<String, byte[]> adminDelete =
        record(
            Topics.BACKUP_DELETE_REQUESTS,
            byOperator,
            delete(byOperator),
            api,
            claim(byOperator, "ada"));
    String other = "kafka-other-" + RUN;
    ProducerRecord<String, byte[]> moved =
        new ProducerRecord<>(
            Topics.BACKUP_DELETE_REQUESTS.name(),
            null,
            other,
            bytes(delete(other)),
            adminDelete.headers());
    produce(moved);
    PrivateKey stranger =
        java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    produce(
        record(
            Topics.BACKUP_DELETE_REQUESTS,
            byOperator,
            delete(byOperator),
            stranger,
            claim(byOperator, "ada")));
    JsonNode movedRefusal =
        awaitAudit("?target=" + other + "&action=backup.delete&outcome=REFUSED", e -> true);
    assertThat(movedRefusal.path("reason").asString()).contains("signature is wrong");
    awaitAudit(
        "?target=" + byOperator + "&action=backup.delete&outcome=REFUSED",
        e -> e.path("reason").asString().contains("signature is wrong"));
    assertThat(Files.exists(lifeboat.repoDir.resolve("manifests/" + byOperator))).isTrue();
    // ... and an admin's own claim deletes it
    produce(adminDelete);
    Eventually.until(
        "the admin's delete",
        java.time.Duration.ofSeconds(60),
        () -> !Files.exists(lifeboat.repoDir.resolve("manifests/" + byOperator)));

    // a rollback is an admin's: the saga answers an operator's with INVALID
    String execution = "r-kafka" + RUN;
    send(Topics.RECOVERY_REQUESTS, execution, rollback(execution), api, claim(execution, "otto"));
    RecoveryExecution invalid =
        Eventually.await(
            "the refused rollback",
            () ->
                RecoveryEvents.all(Topics.RECOVERY_EXECUTIONS).stream()
                    .filter(x -> x.getExecutionId().equals(execution))
                    .findFirst()
                    .orElse(null),
            x -> x != null);
    assertThat(invalid.getStatus()).isEqualTo(RecoveryStatus.INVALID);
    assertThat(invalid.getReason()).contains("(operator) may not recovery.rollback");
    awaitAudit(
        "?target=" + execution + "&outcome=REFUSED",
        e -> e.path("service").asString().equals("coordinator"));

    // a recovery into production is an admin's: the saga judges it on the stored plan
    String prodPlan = "prod-plan-" + RUN;
    HttpResponse<String> defined =
        call(
            "POST",
            "/api/plans",
            JSON.writeValueAsString(
                Map.of(
                    "name",
                    prodPlan,
                    "components",
                    List.of(
                        Map.of(
                            "name", "files", "target", scratch.resolve("prod-kafka").toString())))),
            admin);
    assertThat(defined.statusCode()).as(defined.body()).isLessThan(300);
    Eventually.until(
        "the coordinator to hold plan " + prodPlan,
        () -> call("GET", "/api/plans/" + prodPlan, null, admin).statusCode() == 200);
    String intoProd = "r-kafkaprod" + RUN;
    send(
        Topics.RECOVERY_REQUESTS,
        intoProd,
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next(intoProd))
            .setExecutionId(intoProd)
            .setPlanName(prodPlan)
            .setMode(RecoveryMode.EXECUTE)
            .build(),
        api,
        claim(intoProd, "otto"));
    RecoveryExecution prodRefused =
        Eventually.await(
            "the refused recovery into production",
            () -> lastExecution(intoProd),
            x -> x != null && x.getStatus() == RecoveryStatus.INVALID);
    assertThat(prodRefused.getReason()).contains("recovers into production").contains("admin");
    assertThat(Files.exists(scratch.resolve("prod-kafka"))).isFalse();

    // schedules (and the retention they carry) are an admin's: the scheduler ignores an
    // operator's, says so in the audit trail, and takes an admin's
    String refusedSchedule = "kafka-sched-" + RUN;
    send(
        Topics.SCHEDULES,
        refusedSchedule,
        schedule(refusedSchedule, source),
        api,
        claim(refusedSchedule, "otto"));
    JsonNode scheduleRefusal =
        awaitAudit(
            "?target=" + refusedSchedule + "&action=schedule.define&outcome=REFUSED",
            e -> e.path("service").asString().equals("scheduler"));
    assertThat(scheduleRefusal.path("reason").asString()).contains("needs admin");

    // the command line sends through the API with the token it is given: a viewer is refused
    Cli.Result viewerCli =
        Cli.run(
            lifeboat.cli(
                "backup",
                "files:" + source,
                "--token-file",
                session.tokenFile("vera-" + RUN).toString()));
    assertThat(viewerCli.exit()).isNotZero();
    assertThat(viewerCli.err()).contains("403").contains("operator");
    // refused at the door (a viewer may send nothing), and audited there
    awaitAudit(
        "?actor=vera-" + RUN + "&action=request.send&outcome=REFUSED",
        e -> e.path("path").asString().equals("/api/requests"));
    Cli.Result operatorCli =
        Cli.run(
            lifeboat.cli(
                "backup",
                "files:" + source,
                "--wait",
                "--json",
                "--token-file",
                session.tokenFile("otto-" + RUN).toString()));
    assertThat(operatorCli.exit()).as(operatorCli.out() + operatorCli.err()).isZero();
    String viaApi = JSON.readTree(operatorCli.out()).get("backupId").asString();
    assertThat(
            RecoveryEvents.all(Topics.BACKUP_REQUESTS).stream()
                .filter(r -> r.getBackupId().equals(viaApi)))
        .singleElement()
        .satisfies(r -> assertThat(r.getRequestedBy()).isEqualTo("otto-" + RUN));
  }

  /**
   * With roles on, the commands that act on storage with the master key are refused unless the
   * glass is broken with a reason, which is audited and alerted on before anything is done; {@code
   * lifeboat delete} asks the verify stage through the API instead.
   */
  @Test
  void storageCommands_needABrokenGlass_recordedFirst_andDeleteGoesThroughTheApi()
      throws Exception {
    String name = "glass-" + RUN;
    Path source = scratch.resolve("source");
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Cli.Result b =
          Cli.run(lifeboat.cli("backup", "files:" + source, "--name", name, "--wait", "--json"));
      assertThat(b.exit()).as(b.out() + b.err()).isZero();
      ids.add(JSON.readTree(b.out()).get("backupId").asString());
    }
    Cli.Result refused = Cli.run(lifeboat.cli("forget", "--name", name, "--keep-last", "1"));
    assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("--break-glass");
    assertThat(Files.exists(lifeboat.repoDir.resolve("manifests/" + ids.get(0)))).isTrue();

    // the record goes through the API, which must take it first: an unknown token does nothing
    Path unknown = Files.writeString(scratch.resolve("unknown.token"), "lbt_0badc0de_" + RUN);
    Cli.Result unrecorded =
        Cli.run(
            lifeboat.cli(
                "forget",
                "--name",
                name,
                "--keep-last",
                "1",
                "--break-glass",
                "unrecorded " + RUN,
                "--token-file",
                unknown.toString()));
    assertThat(unrecorded.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(unrecorded.err()).contains("401").contains("nothing done");
    assertThat(Files.exists(lifeboat.repoDir.resolve("manifests/" + ids.get(0)))).isTrue();

    // a viewer may not raise a critical alert this way, nor anyone an action of their choosing
    String glassBody =
        "{\"command\":\"forget\",\"action\":\"backup.forget\",\"reason\":\"page " + RUN + "\"}";
    refused(
        call("POST", "/api/break-glass", glassBody, viewer), "break-glass", "operator", "viewer");
    HttpResponse<String> made =
        call(
            "POST",
            "/api/break-glass",
            glassBody.replace("backup.forget", "approval.approve"),
            operator);
    assertThat(made.statusCode()).as(made.body()).isEqualTo(400);

    Cli.Result forced =
        Cli.run(
            lifeboat.cli(
                "forget",
                "--name",
                name,
                "--keep-last",
                "1",
                "--break-glass",
                "incident " + RUN,
                "--token-file",
                session.tokenFile("otto-" + RUN).toString()));
    assertThat(forced.exit()).as(forced.out() + forced.err()).isZero();
    assertThat(Files.exists(lifeboat.repoDir.resolve("manifests/" + ids.get(0)))).isFalse();
    // written by the API, for the token that called it (the OS user and host are details)
    JsonNode glass =
        awaitAudit(
            "?action=backup.forget&outcome=BREAK_GLASS",
            e -> e.path("reason").asString().equals("incident " + RUN));
    assertThat(glass.path("authenticated").asBoolean()).isTrue();
    assertThat(glass.path("actor").asString()).isEqualTo("otto-" + RUN);
    assertThat(glass.path("role").asString()).isEqualTo("operator");
    assertThat(glass.path("service").asString()).isEqualTo("api");
    assertThat(glass.path("details").path("osUser").asString())
        .isEqualTo(System.getProperty("user.name"));
    assertThat(glass.path("details").path("command").asString()).isEqualTo("forget");
    assertThat(
            RecoveryEvents.all(Topics.ALERTS).stream()
                .filter(a -> a.getKind().equals("security.break-glass")))
        .anyMatch(
            a -> a.getMessage().contains("incident " + RUN) && a.getMessage().contains("otto-"));
    // one event for the call: the filter adds no ACCEPTED break-glass beside it
    assertThat(
            JSON.readTree(
                call(
                        "GET",
                        "/api/audit?actor=otto-" + RUN + "&action=break-glass&outcome=ACCEPTED",
                        null,
                        viewer)
                    .body()))
        .isEmpty();
    // the catalog shows it DELETED because the verify stage found it gone (the command line may not
    // write deletions): it asked the verify stage through the API, as otto
    awaitCatalogStatus(ids.get(0), "DELETED", "forget");
    assertThat(
            RecoveryEvents.all(Topics.BACKUP_VERIFY_REQUESTS).stream()
                .filter(v -> v.getBackupId().equals(ids.get(0))))
        .singleElement()
        .satisfies(v -> assertThat(v.getRequestedBy()).isEqualTo("otto-" + RUN));
    assertThat(
            RecoveryEvents.all(Topics.ALERTS).stream()
                .filter(a -> a.getKind().equals("backup.corrupted")))
        .noneMatch(a -> a.getSubject().equals(ids.get(0)));

    // delete: a request through the API, an admin's (audited as what it asks, not as the route) ...
    Cli.Result operatorDelete =
        Cli.run(
            lifeboat.cli(
                "delete", ids.get(1), "--token-file", session.tokenFile("otto-" + RUN).toString()));
    assertThat(operatorDelete.exit()).isEqualTo(ExitCodes.REJECTED);
    assertThat(operatorDelete.err()).contains("backup.delete needs the admin role");
    awaitAudit(
        "?actor=otto-" + RUN + "&action=backup.delete&outcome=REFUSED&target=" + ids.get(1),
        e -> e.path("path").asString().equals("/api/requests"));
    // ... which the host's admin token is, and the verify stage carries it out
    Cli.Result delete = Cli.run(lifeboat.cli("delete", ids.get(1)));
    assertThat(delete.exit()).as(delete.out() + delete.err()).isZero();
    assertThat(delete.out()).contains("requested");
    Eventually.until(
        "the verify stage to delete " + ids.get(1),
        java.time.Duration.ofSeconds(60),
        () -> !Files.exists(lifeboat.repoDir.resolve("manifests/" + ids.get(1))));
  }

  /** Waits until the catalog shows the backup with this status and a reason containing that. */
  static JsonNode awaitCatalogStatus(String backupId, String status, String reason)
      throws Exception {
    return Eventually.await(
        "backup " + backupId + " " + status + " in the catalog",
        () -> JSON.readTree(call("GET", "/api/backups/" + backupId, null, viewer).body()),
        b ->
            b.path("status").asString().equals(status)
                && b.path("reason").asString().contains(reason));
  }

  /**
   * Roles mode: the Prometheus series (backup names, locations) and the API description need a
   * token of any role; the probes stay open.
   */
  @Test
  void metricsAndTheApiDescription_needAToken_probesDoNot() throws Exception {
    for (String path : List.of("/actuator/prometheus", "/v3/api-docs", "/actuator")) {
      HttpResponse<String> none = call("GET", path, null, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(none.body()).contains("token").doesNotContain("lifeboat_");
      assertThat(call("GET", path, null, "lbt_00000000_nope").statusCode()).isEqualTo(401);
    }
    HttpResponse<String> scrape = call("GET", "/actuator/prometheus", null, viewer);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("# HELP").contains("lifeboat_");
    HttpResponse<String> docs = call("GET", "/v3/api-docs", null, viewer);
    assertThat(docs.statusCode()).isEqualTo(200);
    assertThat(docs.body()).contains("/api/backups");
    assertThat(call("GET", "/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/actuator/health", null, null).statusCode()).isIn(200, 503);
    // the dashboard's files load without a token (it asks for one to read)
    assertThat(call("GET", "/dashboard.js", null, null).statusCode()).isEqualTo(200);
    // path parameters do not take a call around the filter (the controllers map /api;x=1/backups
    // to /api/backups; the filter looked at the raw path and let it through, a change as admin)
    assertThat(call("GET", "/api;x=1/backups", null, null).statusCode()).isEqualTo(401);
    assertThat(
            call("POST", "/api;x=1/backups/" + backupId + ";y=2/verify", null, null).statusCode())
        .isEqualTo(401);
    assertThat(call("GET", "/actuator;x=1/prometheus", null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> asViewer =
        call("POST", "/api;x=1/backups/" + backupId + "/verify", null, viewer);
    refused(asViewer, "backup.verify", "operator", "viewer");
  }

  /**
   * {@code POST /api/requests} answers what it cannot take with 400 and the reason (it answered an
   * unknown topic with 500), and audits it as FAILED.
   */
  @Test
  void aRequestTheApiCannotTake_is400_withTheReason() throws Exception {
    String value =
        java.util.Base64.getEncoder()
            .encodeToString(bytes(backup("bad-" + RUN, scratch.resolve("source"))));
    Map<String, String> cases =
        Map.of(
            "{\"topic\":\"lifeboat.audit\",\"key\":\"k\",\"value\":\"" + value + "\"}",
            "topic must be one of",
            "{\"key\":\"k\",\"value\":\"" + value + "\"}",
            "topic must be one of",
            "{\"topic\":\"lifeboat.backup.requests\",\"value\":\"" + value + "\"}",
            "key is required",
            "{\"topic\":\"lifeboat.backup.requests\",\"key\":\"k\",\"value\":\"bm9wZQ==\"}",
            "value is not a BackupRequested",
            "{\"topic\":\"lifeboat.backup.requests\",\"key\":\"k\",\"value\":\"%%%\"}",
            "value is not a BackupRequested",
            "{\"topic\":\"lifeboat.backup.requests\",\"key\":\"k\"}",
            "takes no empty",
            "not json",
            "the body must be JSON");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = call("POST", "/api/requests", c.getKey(), operator);
      assertThat(r.statusCode()).as(c.getKey() + " -> " + r.body()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("error").asString())
          .as(c.getKey())
          .contains(c.getValue());
    }
    awaitAudit(
        "?actor=otto-" + RUN + "&action=request.send&outcome=FAILED",
        e -> e.path("status").asInt() == 400 && e.path("reason").asString().contains("topic"));
  }

  /**
   * Roles mode narrows what an operator may back up: the machine's password hashes and root's home
   * are refused whatever the source roots, with the reason; a {@code secrets:env} pattern that
   * would take the stage's own settings is refused with the rule, never a variable of its
   * environment.
   */
  @Test
  void anOperatorsBackupOfTheMachinesSecrets_isRejected_andNoReasonNamesAVariable()
      throws Exception {
    Map<String, String> rejected = new java.util.LinkedHashMap<>();
    for (String source :
        List.of("files:/etc/shadow", "files:/root", "secrets:env:*", "secrets:env:LIFEBOAT_HOM*")) {
      HttpResponse<String> r =
          call(
              "POST",
              "/api/backups",
              JSON.writeValueAsString(
                  Map.of("name", "machine-" + RUN, "components", List.of(source))),
              operator);
      assertThat(r.statusCode()).as(source + ": " + r.body()).isEqualTo(202);
      rejected.put(source, awaitRejection(JSON.readTree(r.body()).get("backupId").asString()));
    }
    assertThat(rejected.get("files:/etc/shadow")).contains("/etc/shadow").contains("never reads");
    assertThat(rejected.get("files:/root")).contains("/root").contains("never reads");
    // the fixed rules may be named (they are names too)
    java.util.Set<String> rules =
        java.util.Set.of("PGPASSWORD", "PGPASSFILE", "MYSQL_PWD", "REDISCLI_AUTH");
    for (String source : List.of("secrets:env:*", "secrets:env:LIFEBOAT_HOM*")) {
      String reason = rejected.get(source);
      assertThat(reason).contains("never backed up").contains("LIFEBOAT_*");
      // LIFEBOAT_HOME is set for this JVM (see the failsafe configuration): the reason of
      // LIFEBOAT_HOM* used to name it
      assertThat(System.getenv()).containsKey("LIFEBOAT_HOME");
      java.util.Set<String> words =
          new java.util.HashSet<>(List.of(reason.split("[^A-Za-z0-9_]+")));
      for (String variable : System.getenv().keySet()) {
        if (!rules.contains(variable)) {
          assertThat(words).as(source + ": " + reason).doesNotContain(variable);
        }
      }
    }
  }

  static @Nullable RecoveryExecution lastExecution(String executionId) {
    List<RecoveryExecution> all =
        RecoveryEvents.all(Topics.RECOVERY_EXECUTIONS).stream()
            .filter(x -> x.getExecutionId().equals(executionId))
            .toList();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  static ActorClaim claim(String key, String who) {
    String name = who + "-" + RUN;
    Role role =
        switch (who) {
          case "vera" -> Role.VIEWER;
          case "otto" -> Role.OPERATOR;
          default -> Role.ADMIN;
        };
    return new ActorClaim(IdentityKeys.API, key, name, role, "", Instant.now(), "");
  }

  static BackupRequested backup(String id, Path source) {
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName("kafka-roles-" + RUN)
        .setComponents(
            List.of(ComponentSpec.newBuilder().setName("app").setSource("files:" + source).build()))
        .build();
  }

  static ScheduleDefined schedule(String name, Path source) {
    return ScheduleDefined.newBuilder()
        .setEnvelope(Envelopes.next(name))
        .setName(name)
        .setCron("0 3 * * *")
        .setPaused(true)
        .setComponents(
            List.of(ComponentSpec.newBuilder().setName("app").setSource("files:" + source).build()))
        .setRetention(Map.of("keep-last", "1"))
        .setDefinedAt(Instant.now())
        .build();
  }

  static BackupDeleteRequested delete(String id) {
    return BackupDeleteRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setReason("test")
        .build();
  }

  static RecoveryRequested rollback(String id) {
    return RecoveryRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setExecutionId(id)
        .setPlanName("")
        .setMode(RecoveryMode.ROLLBACK)
        .build();
  }

  static String awaitRejection(String backupId) {
    return Eventually.await(
            "the rejection of " + backupId,
            () ->
                RecoveryEvents.all(Topics.BACKUP_REJECTIONS).stream()
                    .filter(r -> r.getBackupId().equals(backupId))
                    .findFirst()
                    .orElse(null),
            r -> r != null)
        .getReasons()
        .toString();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static byte[] bytes(SpecificRecord event) {
    return ((EventCodec) EventCodec.of(event.getClass())).encode(event);
  }

  static <V extends SpecificRecord> ProducerRecord<String, byte[]> record(
      TopicSpec<V> topic,
      String key,
      V event,
      @Nullable PrivateKey signer,
      @Nullable ActorClaim claim) {
    byte[] value = bytes(event);
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic.name(), key, value);
    if (signer != null && claim != null) {
      ActorSignatures.sign(r.headers(), signer, topic.name(), claim, value);
    }
    return r;
  }

  static <V extends SpecificRecord> void send(
      TopicSpec<V> topic,
      String key,
      V event,
      @Nullable PrivateKey signer,
      @Nullable ActorClaim claim)
      throws Exception {
    produce(record(topic, key, event, signer, claim));
  }

  static void produce(ProducerRecord<String, byte[]> r) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", TestBroker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      p.send(r).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  static String token(String name, String role) throws Exception {
    return session.token(name, role);
  }

  static HttpResponse<String> call(
      String method, String path, @Nullable String body, @Nullable String token) throws Exception {
    return session.call(method, path, body, token);
  }

  static JsonNode awaitAudit(String query, Predicate<JsonNode> matches) throws Exception {
    return session.awaitAudit(query, matches);
  }

  static void refused(HttpResponse<String> r, String operation, String required, String role)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("operation").asString()).isEqualTo(operation);
    assertThat(body.path("required").asString()).isEqualTo(required);
    assertThat(body.path("role").asString()).isEqualTo(role);
    assertThat(body.path("error").asString()).contains(required);
  }
}
