package io.lifeboat.recovery.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.ApprovalDecided;
import io.lifeboat.events.ApprovalRequested;
import io.lifeboat.events.ApprovalState;
import io.lifeboat.events.Envelopes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {

  static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  static ApprovalRequested request() {
    return ApprovalRequested.newBuilder()
        .setEnvelope(Envelopes.next("a-1"))
        .setRequestId("a-1")
        .setAction("backup.delete")
        .setTarget("b-1")
        .setSummary("DELETE /api/backups/b-1")
        .setRequester("alice")
        .setRequesterTokenId("aaaa1111")
        .setTopic("lifeboat.backup.delete-requests")
        .setKey("b-1")
        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setExpiresAt(T0.plus(Duration.ofMinutes(10)))
        .build();
  }

  static ApprovalDecided decision(String who, String role, String tokenId, boolean approve) {
    return ApprovalDecided.newBuilder()
        .setEnvelope(Envelopes.next("a-1"))
        .setRequestId("a-1")
        .setApprove(approve)
        .setApprover(who)
        .setApproverRole(role)
        .setApproverTokenId(tokenId)
        .build();
  }

  static ApprovalState pending() {
    return ApprovalRules.requested(null, request(), T0);
  }

  @Test
  void aNewRequestWaits_andAReplayedOneChangesNothing() {
    assertThat(pending().getStatus()).isEqualTo(ApprovalRules.PENDING);
    assertThat(ApprovalRules.requested(pending(), request(), T0.plusSeconds(5))).isNull();
  }

  @Test
  void anotherAdminApproves_andItIsReleasedOnce() {
    ApprovalRules.Decision d =
        ApprovalRules.decide(
            pending(), decision("bob", "admin", "bbbb2222", true), T0.plusSeconds(60));
    assertThat(d.release()).isTrue();
    assertThat(d.outcome()).isEqualTo("APPROVED");
    assertThat(d.state().getStatus()).isEqualTo(ApprovalRules.RELEASED);
    assertThat(d.state().getApprover()).isEqualTo("bob");

    ApprovalRules.Decision again =
        ApprovalRules.decide(
            d.state(), decision("carol", "admin", "cccc3333", true), T0.plusSeconds(61));
    assertThat(again.release()).isFalse();
    assertThat(again.state()).isNull();
    assertThat(again.reason()).contains("RELEASED");
  }

  /** The host's api-token acts as the admin api, but it is the machine's: no pair of eyes. */
  @Test
  void theHostsApiToken_canNeitherApproveNorReject() {
    for (boolean approve : new boolean[] {true, false}) {
      ApprovalRules.Decision d =
          ApprovalRules.decide(
              pending(), decision("api", "admin", "api-token", approve), T0.plusSeconds(1));
      assertThat(d.release()).isFalse();
      assertThat(d.state()).isNull();
      assertThat(d.outcome()).isEqualTo("REFUSED");
      assertThat(d.reason())
          .contains("the host's api-token cannot " + (approve ? "approve" : "reject"))
          .contains("a person's own admin token");
    }
  }

  @Test
  void theRequesterCannotApprove_underTheirNameOrWithTheirToken() {
    ApprovalRules.Decision own =
        ApprovalRules.decide(
            pending(), decision("alice", "admin", "aaaa1111", true), T0.plusSeconds(1));
    assertThat(own.release()).isFalse();
    assertThat(own.outcome()).isEqualTo("REFUSED");
    assertThat(own.reason()).contains("four eyes");
    ApprovalRules.Decision sameToken =
        ApprovalRules.decide(
            pending(), decision("alice2", "admin", "aaaa1111", true), T0.plusSeconds(1));
    assertThat(sameToken.release()).isFalse();
  }

  @Test
  void anOperatorCannotApprove_andARejectionNeverReleases() {
    assertThat(
            ApprovalRules.decide(pending(), decision("otto", "operator", "o", true), T0).release())
        .isFalse();
    ApprovalRules.Decision rejected =
        ApprovalRules.decide(pending(), decision("bob", "admin", "b", false), T0);
    assertThat(rejected.release()).isFalse();
    assertThat(rejected.state().getStatus()).isEqualTo(ApprovalRules.REJECTED);
  }

  @Test
  void anExpiredRequest_doesNothing_evenWhenApprovedLate() {
    Instant late = T0.plus(Duration.ofMinutes(10));
    assertThat(ApprovalRules.expire(pending(), T0.plusSeconds(599))).isNull();
    assertThat(ApprovalRules.expire(pending(), late).getStatus()).isEqualTo(ApprovalRules.EXPIRED);
    ApprovalRules.Decision d =
        ApprovalRules.decide(pending(), decision("bob", "admin", "b", true), late);
    assertThat(d.release()).isFalse();
    assertThat(d.state().getStatus()).isEqualTo(ApprovalRules.EXPIRED);
    assertThat(d.reason()).contains("expired");
  }
}
