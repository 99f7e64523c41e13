package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.events.MovedAside;

/** A moved-aside original as the providers know it and as step records carry it. */
final class MovedAsides {

  private MovedAsides() {}

  static MovedAside toEvent(Aside a) {
    return MovedAside.newBuilder()
        .setKind(a.kind())
        .setTarget(a.target())
        .setLocation(a.location())
        .setMovedAt(a.movedAt())
        .build();
  }

  static Aside fromEvent(MovedAside a) {
    return new Aside(a.getKind(), a.getTarget(), a.getLocation(), a.getMovedAt());
  }
}
