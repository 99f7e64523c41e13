package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.BackupDeleteRequested;
import io.lifeboat.events.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Four eyes on a real pipeline: deletes wait PENDING_APPROVAL; the requester's own approval is
 * refused; another admin's approval sends the delete once; a change left too long expires and does
 * nothing, approved or not; a rejected one never runs. Every state is on the audit trail.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ApprovalsIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static RunningLifeboat lifeboat;
  static ApiSession api;
  static Path scratch;
  static String ada;
  static String bob;
  static String otto;

  @BeforeAll
  static void start() throws Exception {
    scratch = Files.createTempDirectory("approvals-" + RUN);
    lifeboat =
        RunningLifeboat.start(
            "approvals-" + RUN,
            Map.of(
                "lifeboat.auth.mode", "roles",
                "lifeboat.approvals.operations", "backup.delete,recovery.rollback,production",
                "lifeboat.approvals.ttl", "15s",
                "lifeboat.auth.production.targets", scratch + "/prod-*"));
    api = new ApiSession(lifeboat, scratch);
    ada = api.token("ada-" + RUN, "admin");
    bob = api.token("bob-" + RUN, "admin");
    otto = api.token("otto-" + RUN, "operator");
    api.reader = otto;
  }

  @AfterAll
  static void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  static String backup(String name) throws Exception {
    Path source = Files.createDirectories(scratch.resolve(name));
    Files.writeString(source.resolve("data.txt"), name);
    Cli.Result b =
        Cli.run(lifeboat.cli("backup", "files:" + source, "--name", name, "--wait", "--json"));
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    String id = ApiSession.JSON.readTree(b.out()).get("backupId").asString();
    awaitStatus(id, "SUCCESS"); // the catalog, which the API asks, follows the completion
    return id;
  }

  static String status(String backupId) throws Exception {
    HttpResponse<String> r = api.call("GET", "/api/backups/" + backupId, null, otto);
    return ApiSession.JSON.readTree(r.body()).path("status").asString();
  }

  static String askToDelete(String backupId) throws Exception {
    HttpResponse<String> r = api.call("DELETE", "/api/backups/" + backupId, null, ada);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode body = ApiSession.JSON.readTree(r.body());
    assertThat(body.path("status").asString()).isEqualTo("PENDING_APPROVAL");
    String requestId = body.path("requestId").asString();
    awaitHeld(requestId);
    return requestId;
  }

  /**
   * Waits until the approval processor holds the request: the API answers 202 once the request is
   * on its topic, and the processor stores it a moment later.
   */
  static void awaitHeld(String requestId) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (api.call("GET", "/api/approvals/" + requestId, null, otto).statusCode() != 200) {
      assertThat(Instant.now()).as("held request " + requestId + " listed").isBefore(deadline);
      Thread.sleep(200);
    }
  }

  static long deleteRequestsFor(String backupId) {
    return RecoveryEvents.all(Topics.BACKUP_DELETE_REQUESTS).stream()
        .filter(e -> ((BackupDeleteRequested) e).getBackupId().equals(backupId))
        .count();
  }

  static JsonNode approval(String requestId) throws Exception {
    return ApiSession.JSON.readTree(
        api.call("GET", "/api/approvals/" + requestId, null, otto).body());
  }

  @Test
  void aDeleteWaits_theRequesterCannotApproveIt_anotherAdminReleasesItOnce() throws Exception {
    String backupId = backup("four-eyes-" + RUN);
    String requestId = askToDelete(backupId);

    // held: listed as pending, nothing sent, the backup still there
    HttpResponse<String> pending = api.call("GET", "/api/approvals", null, otto);
    assertThat(pending.body())
        .contains(requestId)
        .contains("PENDING_APPROVAL")
        .contains("ada-" + RUN);
    assertThat(status(backupId)).isEqualTo("SUCCESS");
    assertThat(deleteRequestsFor(backupId)).isZero();

    // the requester may not approve, an operator may not, another admin may, once
    HttpResponse<String> own =
        api.call("POST", "/api/approvals/" + requestId + "/approve", null, ada);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
    assertThat(own.body()).contains("four eyes");
    HttpResponse<String> operator =
        api.call("POST", "/api/approvals/" + requestId + "/approve", null, otto);
    assertThat(operator.statusCode()).isEqualTo(403);
    assertThat(approval(requestId).path("status").asString()).isEqualTo("PENDING_APPROVAL");

    Cli.Result approved =
        Cli.run(
            lifeboat.cli(
                "approve",
                requestId,
                "--reason",
                "ticket 42",
                "--token-file",
                api.tokenFile("bob-" + RUN).toString()));
    assertThat(approved.exit()).as(approved.out() + approved.err()).isZero();
    assertThat(approved.out()).contains("RELEASED").contains("bob-" + RUN);

    awaitStatus(backupId, "DELETED");
    HttpResponse<String> again =
        api.call("POST", "/api/approvals/" + requestId + "/approve", null, bob);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    Thread.sleep(3000);
    assertThat(deleteRequestsFor(backupId)).as("sent once").isEqualTo(1);

    // every state is on the audit trail
    api.awaitAudit(
        "?requestId=" + requestId + "&outcome=APPROVED",
        e -> e.path("actor").asString().equals("bob-" + RUN));
    api.awaitAudit("?requestId=" + requestId + "&outcome=RELEASED", e -> true);
    api.awaitAudit(
        "?target=" + requestId + "&action=approval.approve&outcome=REFUSED",
        e -> e.path("actor").asString().equals("ada-" + RUN));
    api.awaitAudit(
        "?target=" + backupId + "&action=backup.delete&outcome=PENDING_APPROVAL",
        e -> e.path("actor").asString().equals("ada-" + RUN));
  }

  /**
   * The host's api-token (made by {@code up}, the admin {@code api}) belongs to the machine, not to
   * a person: an admin whose own request waits cannot approve it with that token instead. Refused
   * (403, audited), the change stays pending; another admin's own token releases it.
   */
  @Test
  void theHostsApiToken_cannotApproveOrReject_anotherAdminsOwnTokenReleases() throws Exception {
    String backupId = backup("host-token-" + RUN);
    String requestId = askToDelete(backupId); // ada's, held
    String host = lifeboat.token();
    for (String verb : List.of("approve", "reject")) {
      HttpResponse<String> r =
          api.call("POST", "/api/approvals/" + requestId + "/" + verb, null, host);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      assertThat(r.body())
          .contains("the host's api-token cannot " + verb)
          .contains("a person's own admin token");
    }
    // lifeboat approve on the host, with no token of its own, sends the api-token: refused too
    Cli.Result onTheHost = Cli.run(lifeboat.cli("approve", requestId));
    assertThat(onTheHost.exit())
        .as(onTheHost.out() + onTheHost.err())
        .isEqualTo(ExitCodes.REJECTED);
    assertThat(onTheHost.err()).contains("api-token cannot approve");
    assertThat(approval(requestId).path("status").asString()).isEqualTo("PENDING_APPROVAL");
    // nor may it ask for a held change: the admin who can read it would approve with their own
    HttpResponse<String> asked = api.call("DELETE", "/api/backups/" + backupId, null, host);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(403);
    assertThat(asked.body()).contains("the host's api-token cannot ask for it");
    assertThat(deleteRequestsFor(backupId)).isZero();
    // nor does a path parameter take a delete around the hold (it was not classified backup.delete)
    HttpResponse<String> around =
        api.call("DELETE", "/api;x=1/backups/" + backupId + ";y=2", null, ada);
    assertThat(around.statusCode()).as(around.body()).isEqualTo(202);
    assertThat(around.body()).contains("PENDING_APPROVAL");
    assertThat(deleteRequestsFor(backupId)).isZero();

    HttpResponse<String> approved =
        api.call("POST", "/api/approvals/" + requestId + "/approve", null, bob);
    assertThat(approved.statusCode()).as(approved.body()).isIn(200, 202);
    awaitStatus(backupId, "DELETED");
    assertThat(approval(requestId).path("approver").asString()).isEqualTo("bob-" + RUN);

    JsonNode refused =
        api.awaitAudit(
            "?target=" + requestId + "&action=approval.approve&outcome=REFUSED",
            e -> e.path("actor").asString().equals("api"));
    assertThat(refused.path("status").asInt()).isEqualTo(403);
    assertThat(refused.path("tokenId").asString()).isEqualTo("api-token");
    assertThat(refused.path("reason").asString()).contains("api-token cannot approve");
    api.awaitAudit(
        "?target=" + requestId + "&action=approval.reject&outcome=REFUSED",
        e -> e.path("actor").asString().equals("api"));
  }

  @Test
  void anExpiredChange_doesNothing_andARejectedOneNeverRuns() throws Exception {
    String expiring = backup("expiring-" + RUN);
    String rejected = backup("rejected-" + RUN);
    String expiringId = askToDelete(expiring);
    String rejectedId = askToDelete(rejected);

    Cli.Result no =
        Cli.run(
            lifeboat.cli(
                "reject", rejectedId, "--token-file", api.tokenFile("bob-" + RUN).toString()));
    assertThat(no.exit()).as(no.out() + no.err()).isZero();
    assertThat(approval(rejectedId).path("status").asString()).isEqualTo("REJECTED");

    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (!approval(expiringId).path("status").asString().equals("EXPIRED")
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
    }
    assertThat(approval(expiringId).path("status").asString()).isEqualTo("EXPIRED");
    HttpResponse<String> late =
        api.call("POST", "/api/approvals/" + expiringId + "/approve", null, bob);
    assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
    assertThat(late.body()).contains("EXPIRED");
    Cli.Result lateCli =
        Cli.run(
            lifeboat.cli(
                "approve", rejectedId, "--token-file", api.tokenFile("bob-" + RUN).toString()));
    assertThat(lateCli.exit()).isEqualTo(ExitCodes.REJECTED);

    Thread.sleep(3000);
    assertThat(status(expiring)).isEqualTo("SUCCESS");
    assertThat(status(rejected)).isEqualTo("SUCCESS");
    assertThat(deleteRequestsFor(expiring)).isZero();
    assertThat(deleteRequestsFor(rejected)).isZero();
    api.awaitAudit("?requestId=" + expiringId + "&outcome=EXPIRED", e -> true);
    api.awaitAudit("?requestId=" + rejectedId + "&outcome=REJECTED", e -> true);

    Cli.Result list =
        Cli.run(
            lifeboat.cli(
                "approvals",
                "--status",
                "all",
                "--token-file",
                api.tokenFile("otto-" + RUN).toString()));
    assertThat(list.out()).contains(expiringId).contains("EXPIRED").contains(rejectedId);
  }

  @Test
  void aRestoreIntoProduction_waits_andRunsOnceApproved_asTheRecoveryItWasAskedFor()
      throws Exception {
    String backupId = backup("to-prod-" + RUN);
    Path target = scratch.resolve("prod-app-" + RUN);
    HttpResponse<String> held =
        api.call(
            "POST", "/api/backups/" + backupId + "/restore", "{\"to\":\"" + target + "\"}", ada);
    assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
    JsonNode body = ApiSession.JSON.readTree(held.body());
    assertThat(body.path("status").asString()).isEqualTo("PENDING_APPROVAL");
    assertThat(body.path("action").asString()).isEqualTo("production");
    String requestId = body.path("requestId").asString();
    awaitHeld(requestId);
    Thread.sleep(2000);
    assertThat(Files.exists(target)).as("nothing restored before the approval").isFalse();

    HttpResponse<String> approved =
        api.call("POST", "/api/approvals/" + requestId + "/approve", null, bob);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    // the held request is the recovery: its execution id is the held record's key
    String executionId = approval(requestId).path("target").asString();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    String status = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = api.call("GET", "/api/recoveries/" + executionId, null, otto);
      status =
          r.statusCode() == 200 ? ApiSession.JSON.readTree(r.body()).path("status").asString() : "";
      if (List.of("SUCCEEDED", "FAILED", "INVALID", "ROLLED_BACK").contains(status)) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(status).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(target.resolve("data.txt"))).isEqualTo("to-prod-" + RUN);
  }

  static void awaitStatus(String backupId, String wanted) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    String seen = "";
    while (Instant.now().isBefore(deadline)) {
      seen = status(backupId);
      if (seen.equals(wanted)) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(backupId + " is " + seen + ", not " + wanted);
  }
}
