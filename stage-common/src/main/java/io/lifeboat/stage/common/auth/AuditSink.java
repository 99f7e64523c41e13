package io.lifeboat.stage.common.auth;

import io.lifeboat.events.AuditEvent;

/** Where the API's audit events go: the audit topic, in a service that may write it. */
@FunctionalInterface
public interface AuditSink {

  /** Sends the event; must not block the request for long, nor throw. */
  void record(AuditEvent event);

  /** Writes to {@code lifeboat.audit} with this template; a failed write is logged, not thrown. */
  static AuditSink kafka(org.springframework.kafka.core.KafkaTemplate<Object, Object> template) {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.lifeboat.audit");
    return event ->
        template
            .send(io.lifeboat.events.Topics.AUDIT.name(), event.getEnvelope().getEventId(), event)
            .whenComplete(
                (r, e) -> {
                  if (e != null) {
                    log.warn(
                        "audit event {} {} not written: {}",
                        event.getAction(),
                        event.getOutcome(),
                        e.toString());
                  }
                });
  }
}
