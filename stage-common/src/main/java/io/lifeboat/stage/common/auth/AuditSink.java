package io.lifeboat.stage.common.auth;

import io.lifeboat.events.AuditEvent;

/** Where the API's audit events go: the audit topic, in a service that may write it. */
@FunctionalInterface
public interface AuditSink {

  /** Sends the event; must not block the request for long, nor throw. */
  void record(AuditEvent event);
}
