package io.lifeboat.recovery.web;

import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryPlanDefined;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.stage.common.auth.ApiAccess;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;

/** Publishes what the API accepted: plan definitions and recovery requests. */
public final class RecoveryPublisher {

  private final KafkaTemplate<Object, Object> template;
  private final byte[] commandKey;

  /**
   * @param commandKey signs the plans this API attaches to requests (see InlinePlans)
   */
  private final java.time.Duration approvalTtl;

  /** Signs the actor claim on every request this API sends (see ActorSignatures). */
  private final java.security.PrivateKey identity;

  public RecoveryPublisher(
      KafkaTemplate<Object, Object> template,
      byte[] commandKey,
      java.time.Duration approvalTtl,
      java.security.PrivateKey identity) {
    this.template = template;
    this.commandKey = commandKey;
    this.approvalTtl = approvalTtl;
    this.identity = identity;
  }

  /** Publishes an admin's approval or rejection of a held change. */
  public void decide(io.lifeboat.events.ApprovalDecided decision) {
    publish(Topics.APPROVAL_DECISIONS.name(), decision.getRequestId(), decision);
  }

  public void define(RecoveryPlanSpec plan, String definedBy) {
    send(
        Topics.RECOVERY_PLANS.name(),
        plan.name(),
        RecoveryPlanDefined.newBuilder()
            .setEnvelope(Envelopes.next(plan.name()))
            .setName(plan.name())
            .setDefinition(plan.toJson())
            .setDefinedBy(definedBy)
            .build());
  }

  public void delete(String planName) {
    send(Topics.RECOVERY_PLANS.name(), planName, null);
  }

  /**
   * @return the execution id
   */
  public String request(
      String planName,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      String requestedBy) {
    String id = newExecutionId();
    requestFor(id, planName, mode, at, backupId, force, requestedBy);
    return id;
  }

  /**
   * Runs a plan given with the request (not stored): the API's restore of one backup.
   *
   * @return the execution id
   */
  public String requestInline(RecoveryPlanSpec plan, RecoveryMode mode, String requestedBy) {
    String id = newExecutionId();
    send(
        Topics.RECOVERY_REQUESTS.name(),
        id,
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next(id))
            .setExecutionId(id)
            .setPlanName(plan.name())
            .setPlan(plan.toJson())
            .setPlanSignature(
                io.lifeboat.recovery.saga.InlinePlans.sign(commandKey, id, plan.toJson()))
            .setMode(mode)
            .setRequestedBy(requestedBy)
            .build());
    return id;
  }

  /**
   * Asks the verify stage to read back and authenticate every chunk of a stored backup.
   *
   * @return the verification id its answer carries
   */
  public String requestVerification(String backupId, String requestedBy) {
    String id = "v-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    send(
        Topics.BACKUP_VERIFY_REQUESTS.name(),
        backupId,
        io.lifeboat.events.BackupVerifyRequested.newBuilder()
            .setEnvelope(Envelopes.next(backupId))
            .setVerificationId(id)
            .setBackupId(backupId)
            .setRequestedBy(requestedBy)
            .build());
    return id;
  }

  /** Asks the verify stage to delete a stored backup's manifest at every location. */
  public void requestDeletion(String backupId, String reason, String requestedBy) {
    send(
        Topics.BACKUP_DELETE_REQUESTS.name(),
        backupId,
        io.lifeboat.events.BackupDeleteRequested.newBuilder()
            .setEnvelope(Envelopes.next(backupId))
            .setBackupId(backupId)
            .setReason(reason)
            .setRequestedBy(requestedBy)
            .build());
  }

  /**
   * Writes a break-glass record: the audit event, then the critical alert, each acknowledged by
   * Kafka before this returns (the command acts only after both are there).
   *
   * @throws IllegalStateException when either could not be written
   */
  public void breakGlass(io.lifeboat.events.AuditEvent audit, io.lifeboat.events.Alert alert) {
    publish(Topics.AUDIT.name(), audit.getEnvelope().getEventId(), audit);
    publish(Topics.ALERTS.name(), alert.getSubject(), alert);
  }

  private static String newExecutionId() {
    return "r-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
  }

  public void requestFor(
      String executionId,
      String planName,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      String requestedBy) {
    send(
        Topics.RECOVERY_REQUESTS.name(),
        executionId,
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next(executionId))
            .setExecutionId(executionId)
            .setPlanName(planName)
            .setMode(mode)
            .setAt(at)
            .setBackupId(backupId)
            .setForce(force)
            .setRequestedBy(requestedBy)
            .build());
  }

  /** Creates or replaces a schedule. */
  public void defineSchedule(io.lifeboat.events.ScheduleDefined schedule) {
    send(Topics.SCHEDULES.name(), schedule.getName(), schedule);
  }

  public void deleteSchedule(String name) {
    send(Topics.SCHEDULES.name(), name, null);
  }

  /** Sends a request record a client built ({@code POST /api/requests}), signed or held. */
  public void sendRequest(String topic, String key, @Nullable Object value) {
    send(topic, key, value);
  }

  /** Publishes a backup request (the API's {@code POST /api/backups}). */
  public void requestBackup(io.lifeboat.events.BackupRequested request) {
    send(Topics.BACKUP_REQUESTS.name(), request.getBackupId(), request);
  }

  /** Asks the pipeline to stop a running backup. */
  public void cancelBackup(String backupId, String reason) {
    send(
        Topics.BACKUP_CANCELLATIONS.name(),
        backupId,
        io.lifeboat.events.BackupCancelRequested.newBuilder()
            .setEnvelope(Envelopes.next(backupId))
            .setBackupId(backupId)
            .setReason(reason)
            .build());
  }

  /**
   * Sends what an API request asked for, or, when the request's operation needs a second admin's
   * approval ({@link ApiAccess#APPROVAL}), holds the exact record on the approvals topic instead
   * and ends the request with {@link HeldForApprovalException}.
   */
  private void send(String topic, String key, @Nullable Object value) {
    var attributes =
        org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
    if (attributes instanceof org.springframework.web.context.request.ServletRequestAttributes sra
        && sra.getRequest().getAttribute(ApiAccess.APPROVAL) instanceof String action) {
      hold(sra.getRequest(), action, topic, key, value);
    }
    if (attributes instanceof org.springframework.web.context.request.ServletRequestAttributes sra
        && io.lifeboat.stage.common.auth.KafkaRequestGuard.REQUEST_TOPICS.contains(topic)) {
      publishSigned(topic, key, value, ApiAccess.actor(sra.getRequest()));
    } else {
      publish(topic, key, value);
    }
  }

  /**
   * Sends a request with the signed claim of the person the API authenticated: the service that
   * acts checks their role from it.
   */
  private void publishSigned(
      String topic, String key, @Nullable Object value, io.lifeboat.stage.common.auth.Actor actor) {
    byte @Nullable [] bytes = new io.lifeboat.stage.common.AnySerializer().serialize(topic, value);
    var record =
        new org.apache.kafka.clients.producer.ProducerRecord<Object, Object>(
            topic, null, key, bytes);
    if (actor.role() != null) {
      io.lifeboat.stage.common.auth.ActorSignatures.sign(
          record.headers(),
          identity,
          topic,
          new io.lifeboat.stage.common.auth.ActorClaim(
              io.lifeboat.stage.common.auth.IdentityKeys.API,
              key,
              actor.name(),
              actor.role(),
              actor.tokenId(),
              java.time.Instant.now(),
              ""),
          bytes);
    }
    try {
      template.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot publish to " + topic + ": " + e.getMessage(), e);
    }
  }

  private void hold(
      jakarta.servlet.http.HttpServletRequest request,
      String action,
      String topic,
      String key,
      @Nullable Object value) {
    io.lifeboat.stage.common.auth.Actor actor = ApiAccess.actor(request);
    if (actor.hostToken()) {
      // the host's token is a login of the machine, which any admin there can read: a change it
      // asked for could be approved by that same admin's own token
      throw new io.lifeboat.stage.common.auth.AccessRefusedException(
          java.util.Arrays.stream(io.lifeboat.stage.common.auth.Operation.values())
              .filter(o -> o.action().equals(action))
              .findFirst()
              .orElse(io.lifeboat.stage.common.auth.Operation.OTHER_CHANGE),
          io.lifeboat.stage.common.auth.Role.ADMIN,
          action
              + " waits for a second admin's approval, and the host's api-token cannot ask for"
              + " it: send the request with your own token (--token-file), so that whoever"
              + " approves is someone else");
    }
    String requestId = "a-" + java.util.UUID.randomUUID().toString().substring(0, 12);
    java.time.Instant expiresAt = java.time.Instant.now().plus(approvalTtl);
    byte @Nullable [] bytes = new io.lifeboat.stage.common.AnySerializer().serialize(topic, value);
    io.lifeboat.events.ApprovalRequested held =
        io.lifeboat.events.ApprovalRequested.newBuilder()
            .setEnvelope(Envelopes.next(requestId))
            .setRequestId(requestId)
            .setAction(action)
            .setTarget(key)
            .setSummary(
                request.getAttribute(io.lifeboat.stage.common.auth.AuthFilter.ASKED)
                        instanceof io.lifeboat.stage.common.auth.ApiRoutes.Route asked
                    ? asked.operation().action() + " " + asked.target() + " (lifeboat command)"
                    : request.getMethod() + " " + request.getRequestURI())
            .setRequester(actor.name())
            .setRequesterTokenId(actor.tokenId())
            .setTopic(topic)
            .setKey(key)
            .setValue(bytes == null ? null : java.nio.ByteBuffer.wrap(bytes))
            .setExpiresAt(expiresAt)
            .build();
    publish(Topics.APPROVALS.name(), requestId, held);
    throw new HeldForApprovalException(requestId, action, expiresAt);
  }

  private void publish(String topic, String key, @Nullable Object value) {
    try {
      template.send(topic, key, value).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot publish to " + topic + ": " + e.getMessage(), e);
    }
  }
}
