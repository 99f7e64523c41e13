package io.lifeboat.core.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * An existing target that a restore moved out of the way: kept until the restored one has passed
 * its health check (and after, until dropped), so that a failed or unwanted restore can be rolled
 * back.
 *
 * @param kind provider kind
 * @param target the target spec it was moved away from
 * @param location where it is kept (a folder path, a database name, a file of keys)
 * @param movedAt when it was moved
 */
public record Aside(String kind, String target, String location, Instant movedAt) {
  public Aside {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(movedAt, "movedAt");
  }
}
