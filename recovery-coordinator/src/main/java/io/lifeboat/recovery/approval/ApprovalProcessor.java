package io.lifeboat.recovery.approval;

import io.lifeboat.events.AnyEventSerde;
import io.lifeboat.events.ApprovalDecided;
import io.lifeboat.events.ApprovalRequested;
import io.lifeboat.events.ApprovalState;
import io.lifeboat.events.AuditEvent;
import io.lifeboat.events.Envelope;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Keeps every held change's state ({@link ApprovalRules}) in the {@code approvals} store, and on
 * approval sends the held record to its topic in the same transaction as the state change: a change
 * runs once, however many approvals arrive. Every state is an audit event. A wall-clock punctuation
 * expires what waited too long.
 */
public final class ApprovalProcessor implements Processor<String, SpecificRecord, String, Object> {

  /** A record to send to {@code topic} as it is (the value's bytes). */
  public record Held(String topic, byte @Nullable [] value) {}

  public static final String STORE = "approvals";
  public static final String RELEASE_SINK = "approval-release";
  public static final String AUDIT_SINK = "approval-audit";

  private final java.security.PrivateKey identity;

  /**
   * @param identity the API's signing key: a released change is sent signed as its requester's,
   *     approved by an admin
   */
  public ApprovalProcessor(java.security.PrivateKey identity) {
    this.identity = identity;
  }

  private @Nullable ProcessorContext<String, Object> context;
  private @Nullable KeyValueStore<String, ApprovalState> store;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    context.schedule(
        Duration.ofSeconds(1),
        PunctuationType.WALL_CLOCK_TIME,
        t -> expire(Instant.ofEpochMilli(t)));
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    KeyValueStore<String, ApprovalState> s = java.util.Objects.requireNonNull(store);
    Instant now = Instant.now();
    if (record.value() instanceof ApprovalRequested request) {
      ApprovalState state = ApprovalRules.requested(s.get(request.getRequestId()), request, now);
      if (state != null) {
        s.put(request.getRequestId(), state); // the API that held it audited PENDING_APPROVAL
      }
    } else if (record.value() instanceof ApprovalDecided decision) {
      ApprovalState current = s.get(decision.getRequestId());
      ApprovalRules.Decision d = ApprovalRules.decide(current, decision, now);
      if (d.state() != null) {
        s.put(decision.getRequestId(), d.state());
      }
      ApprovalState shown = d.state() != null ? d.state() : current;
      if (d.release() && d.state() != null) {
        release(d.state().getRequest(), decision.getApprover(), now);
      }
      if (shown != null) {
        auditDecision(shown, decision, d);
      } else {
        auditUnknown(decision, d);
      }
    }
  }

  private void release(ApprovalRequested request, String approver, Instant now) {
    ProcessorContext<String, Object> c = java.util.Objects.requireNonNull(context);
    byte @Nullable [] value =
        request.getValue() == null ? null : restamped(bytes(request.getValue()), now);
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    // the role that counts is the approving admin's: the change runs because an admin said so
    io.lifeboat.stage.common.auth.ActorSignatures.sign(
        headers,
        identity,
        request.getTopic(),
        new io.lifeboat.stage.common.auth.ActorClaim(
            io.lifeboat.stage.common.auth.IdentityKeys.API,
            request.getKey(),
            request.getRequester(),
            io.lifeboat.stage.common.auth.Role.ADMIN,
            request.getRequesterTokenId(),
            now,
            approver),
        value);
    c.forward(
        new Record<String, Object>(
            request.getKey(), new Held(request.getTopic(), value), now.toEpochMilli(), headers),
        RELEASE_SINK);
  }

  /**
   * The held event with its envelope's time set to the approval: it is sent now, and receivers that
   * refuse old requests (the saga, after {@code request-max-age}) measure from here.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static byte[] restamped(byte[] value, Instant now) {
    SpecificRecord event;
    try {
      event = AnyEventSerde.decode(value);
    } catch (RuntimeException e) {
      return value;
    }
    Schema.Field field = event.getSchema().getField("envelope");
    if (field != null && event.get(field.pos()) instanceof Envelope envelope) {
      envelope.setTime(now);
      return ((EventCodec) EventCodec.of(event.getClass())).encode(event);
    }
    return value;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private void expire(Instant now) {
    KeyValueStore<String, ApprovalState> s = java.util.Objects.requireNonNull(store);
    List<KeyValue<String, ApprovalState>> expired = new ArrayList<>();
    try (KeyValueIterator<String, ApprovalState> it = s.all()) {
      it.forEachRemaining(
          kv -> {
            ApprovalState e = kv.value == null ? null : ApprovalRules.expire(kv.value, now);
            if (e != null) {
              expired.add(KeyValue.pair(kv.key, e));
            }
          });
    }
    for (KeyValue<String, ApprovalState> kv : expired) {
      s.put(kv.key, kv.value);
      audit(kv.value, "EXPIRED", kv.value.getRequest().getRequester(), kv.value.getReason());
    }
  }

  private void auditDecision(
      ApprovalState state, ApprovalDecided decision, ApprovalRules.Decision d) {
    AuditEvent.Builder e = base(state.getRequest(), d.outcome());
    e.setActor(decision.getApprover())
        .setRole(decision.getApproverRole())
        .setTokenId(decision.getApproverTokenId())
        .setAuthenticated(true)
        .setReason(d.reason());
    Map<String, String> details = details(state);
    details.put("approver", decision.getApprover());
    details.put("decision", decision.getApprove() ? "approve" : "reject");
    e.setDetails(details);
    send(e.build());
    if (d.release()) {
      AuditEvent.Builder released = base(state.getRequest(), "RELEASED");
      released
          .setActor(state.getRequest().getRequester())
          .setAuthenticated(true)
          .setDetails(details);
      send(released.build());
    }
  }

  private void auditUnknown(ApprovalDecided decision, ApprovalRules.Decision d) {
    send(
        AuditEvent.newBuilder()
            .setEnvelope(Envelopes.next(decision.getRequestId()))
            .setAction(decision.getApprove() ? "approval.approve" : "approval.reject")
            .setTarget(decision.getRequestId())
            .setOutcome(d.outcome())
            .setActor(decision.getApprover())
            .setRole(decision.getApproverRole())
            .setAuthenticated(true)
            .setService("coordinator-approvals")
            .setReason(d.reason())
            .build());
  }

  private void audit(ApprovalState state, String outcome, String actor, String reason) {
    AuditEvent.Builder e = base(state.getRequest(), outcome);
    e.setActor(actor).setAuthenticated(true).setReason(reason).setDetails(details(state));
    send(e.build());
  }

  private static Map<String, String> details(ApprovalState state) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("requestId", state.getRequest().getRequestId());
    d.put("requester", state.getRequest().getRequester());
    d.put("expiresAt", state.getRequest().getExpiresAt().toString());
    d.put("summary", state.getRequest().getSummary());
    return d;
  }

  private static AuditEvent.Builder base(ApprovalRequested request, String outcome) {
    return AuditEvent.newBuilder()
        .setEnvelope(Envelopes.next(request.getRequestId()))
        .setAction(request.getAction())
        .setTarget(request.getTarget())
        .setOutcome(outcome)
        .setService("coordinator-approvals");
  }

  private void send(AuditEvent event) {
    java.util.Objects.requireNonNull(context)
        .forward(
            new Record<String, Object>(
                event.getEnvelope().getEventId(),
                event,
                event.getEnvelope().getTime().toEpochMilli()),
            AUDIT_SINK);
  }
}
