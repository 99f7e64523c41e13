package io.lifeboat.core.storage.decorate;

import io.lifeboat.core.storage.Backend;

/**
 * A backend that adds behaviour around another one; {@link Backends#unwrap} reaches the inner ones.
 */
public interface DecoratedBackend extends Backend {
  Backend inner();

  @Override
  default String location() {
    return inner().location();
  }

  @Override
  default java.util.Optional<String> version(String name) {
    return inner().version(name);
  }

  @Override
  default void close() {
    inner().close();
  }
}
