package io.lifeboat.stage.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActorSignaturesTest {

  static final String TOPIC = "lifeboat.backup.delete-requests";
  static final byte[] VALUE = "delete b1".getBytes(StandardCharsets.UTF_8);

  @TempDir Path home;

  ActorClaim claim(String key, Role role) {
    return new ActorClaim("api", key, "ada smith", role, "0badc0de", Instant.now(), "");
  }

  /** The headers a consumer sees after the digesting deserializer read {@code value}. */
  static Headers consumed(Headers sent, byte[] value) {
    Headers h = new RecordHeaders(sent.toArray());
    ActorSignatures.digesting(new ByteArrayDeserializer()).deserialize(TOPIC, h, value);
    return h;
  }

  @Test
  void aSignedClaim_isReadBack_andAnyChangeToTopicKeyValueOrSignerIsRefused() throws Exception {
    PrivateKey key = IdentityKeys.loadOrCreate(home, IdentityKeys.API);
    IdentityKeys keys = new IdentityKeys(home);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(IdentityKeys.privateFile(home, IdentityKeys.API))))
        .isEqualTo("rw-------");
    Headers sent = new RecordHeaders();
    ActorSignatures.sign(sent, key, TOPIC, claim("b1", Role.ADMIN), VALUE);

    ActorSignatures.Checked ok =
        ActorSignatures.check(keys::publicKey, TOPIC, "b1", consumed(sent, VALUE));
    assertThat(ok.verified()).as(ok.refusal()).isTrue();
    assertThat(ok.claim().name()).isEqualTo("ada smith");
    assertThat(ok.claim().role()).isEqualTo(Role.ADMIN);

    byte[] other = "delete b2".getBytes(StandardCharsets.UTF_8);
    assertThat(ActorSignatures.check(keys::publicKey, TOPIC, "b1", consumed(sent, other)).refusal())
        .contains("signature is wrong");
    assertThat(
            ActorSignatures.check(
                    keys::publicKey, "lifeboat.schedules", "b1", consumed(sent, VALUE))
                .refusal())
        .contains("signature is wrong");
    assertThat(ActorSignatures.check(keys::publicKey, TOPIC, "b2", consumed(sent, VALUE)).refusal())
        .contains("another record");

    Headers forged = new RecordHeaders();
    PrivateKey stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    ActorSignatures.sign(forged, stranger, TOPIC, claim("b1", Role.ADMIN), VALUE);
    assertThat(
            ActorSignatures.check(keys::publicKey, TOPIC, "b1", consumed(forged, VALUE)).refusal())
        .contains("signature is wrong");

    Headers unknownSigner = new RecordHeaders();
    ActorSignatures.sign(
        unknownSigner,
        key,
        TOPIC,
        new ActorClaim("robot", "b1", "r", Role.ADMIN, "", Instant.now(), ""),
        VALUE);
    assertThat(
            ActorSignatures.check(keys::publicKey, TOPIC, "b1", consumed(unknownSigner, VALUE))
                .refusal())
        .contains("not known here");
  }

  @Test
  void aDigestHeaderFromTheSender_isNotTrusted() throws Exception {
    PrivateKey key = IdentityKeys.loadOrCreate(home, IdentityKeys.API);
    Headers sent = new RecordHeaders();
    ActorSignatures.sign(sent, key, TOPIC, claim("b1", Role.ADMIN), VALUE);
    // the sender adds a digest of the signed bytes while sending other bytes: without this
    // process's nonce it is not read, and the deserializer replaces it anyway
    sent.add(ActorSignatures.DIGEST, ActorSignatures.sha256(VALUE));
    assertThat(
            ActorSignatures.check(new IdentityKeys(home)::publicKey, TOPIC, "b1", sent).refusal())
        .contains("digesting");
    byte[] other = "delete b2".getBytes(StandardCharsets.UTF_8);
    assertThat(
            ActorSignatures.check(
                    new IdentityKeys(home)::publicKey, TOPIC, "b1", consumed(sent, other))
                .verified())
        .isFalse();
  }

  @Test
  void theGuard_refusesUnsignedRecords_rolesBelowTheNeed_andASchedulerClaimingAdmin()
      throws Exception {
    PrivateKey api = IdentityKeys.loadOrCreate(home, IdentityKeys.API);
    PrivateKey scheduler = IdentityKeys.loadOrCreate(home, IdentityKeys.SCHEDULER);
    java.util.List<io.lifeboat.events.AuditEvent> audit = new java.util.ArrayList<>();
    KafkaRequestGuard guard = new KafkaRequestGuard(true, new IdentityKeys(home), audit::add, "t");

    KafkaRequestGuard.Decision unsigned =
        guard.check(
            TOPIC,
            "b1",
            consumed(new RecordHeaders(), VALUE),
            Operation.DELETE,
            Role.ADMIN,
            "",
            "b1");
    assertThat(unsigned.allowed()).isFalse();
    assertThat(unsigned.reason()).contains("not from an authenticated sender").contains("token");

    Headers operator = new RecordHeaders();
    ActorSignatures.sign(operator, api, TOPIC, claim("b1", Role.OPERATOR), VALUE);
    KafkaRequestGuard.Decision low =
        guard.check(TOPIC, "b1", consumed(operator, VALUE), Operation.DELETE, Role.ADMIN, "", "b1");
    assertThat(low.reason()).contains("(operator) may not backup.delete").contains("needs admin");

    Headers schedulerAdmin = new RecordHeaders();
    ActorSignatures.sign(
        schedulerAdmin,
        scheduler,
        TOPIC,
        new ActorClaim("scheduler", "b1", "scheduler", Role.ADMIN, "", Instant.now(), ""),
        VALUE);
    assertThat(
            guard
                .check(
                    TOPIC,
                    "b1",
                    consumed(schedulerAdmin, VALUE),
                    Operation.DELETE,
                    Role.ADMIN,
                    "",
                    "b1")
                .reason())
        .contains("scheduler may not claim the admin role");

    Headers admin = new RecordHeaders();
    ActorSignatures.sign(admin, api, TOPIC, claim("b1", Role.ADMIN), VALUE);
    assertThat(
            guard
                .check(TOPIC, "b1", consumed(admin, VALUE), Operation.DELETE, Role.ADMIN, "", "b1")
                .allowed())
        .isTrue();

    assertThat(audit).hasSize(3).allSatisfy(e -> assertThat(e.getOutcome()).isEqualTo("REFUSED"));
    assertThat(audit.get(1).getActor()).isEqualTo("ada smith");
    assertThat(audit.get(1).getRequired()).isEqualTo("admin");

    KafkaRequestGuard single =
        new KafkaRequestGuard(false, new IdentityKeys(home), audit::add, "t");
    assertThat(
            single
                .check(TOPIC, "b1", new RecordHeaders(), Operation.DELETE, Role.ADMIN, "", "b1")
                .allowed())
        .isTrue();
  }

  @Test
  void claims_roundTrip_withAnyCharactersInTheirFields() {
    ActorClaim c =
        new ActorClaim(
            "api",
            "plan a/b ~x",
            "name with spaces",
            Role.VIEWER,
            "",
            Instant.ofEpochMilli(42),
            "bo b");
    assertThat(ActorClaim.decode(c.encode())).contains(c);
    assertThat(ActorClaim.decode("v2 x")).isEqualTo(Optional.empty());
    assertThat(ActorClaim.decode("v1 api k n superuser ~ 1 ~")).isEmpty();
  }
}
