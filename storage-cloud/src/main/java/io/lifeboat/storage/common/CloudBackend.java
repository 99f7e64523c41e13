package io.lifeboat.storage.common;

import io.lifeboat.core.storage.Backend;

/**
 * What every cloud backend is alike: a {@link Backend} whose objects are keys under the location's
 * prefix in a bucket or container ({@link KeyPrefix}), and which shows itself everywhere — in
 * {@link #location()}, in its messages, in {@link #toString()} — by the location's display form,
 * which never holds a credential.
 */
public abstract class CloudBackend implements Backend {

  /** The location as messages and events may show it. */
  protected final String display;

  /** Object names to keys and back. */
  protected final KeyPrefix keys;

  protected CloudBackend(String display, String prefix) {
    this.display = display;
    this.keys = new KeyPrefix(prefix);
  }

  @Override
  public final String location() {
    return display;
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[" + display + "]";
  }
}
