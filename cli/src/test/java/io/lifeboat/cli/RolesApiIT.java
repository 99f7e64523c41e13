package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
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
                scratch + "/prod-*"));
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
