package io.lifeboat.core.provider;

import java.util.Objects;

/**
 * A parsed source spec such as {@code files:/etc/myapp}: the provider kind and the rest.
 *
 * @param kind the provider kind (text before the first ':')
 * @param location what follows, for the provider to interpret
 * @param display the spec as it may be shown, logged and put into events (no credentials)
 */
public record ComponentSource(String kind, String location, String display) {

  public ComponentSource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(display, "display");
  }

  @Override
  public String toString() {
    return display;
  }
}
