package io.lifeboat.events;

import java.time.Instant;
import java.util.UUID;

/** Makes the envelope every event carries. */
public final class Envelopes {

  private Envelopes() {}

  /** A new envelope with a random event id, the current time and the given correlation id. */
  public static Envelope next(String correlationId) {
    return Envelope.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setTime(Instant.now())
        .setCorrelationId(correlationId)
        .build();
  }
}
