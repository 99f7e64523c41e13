package io.lifeboat.model;

/**
 * A value from a request, quoted for an error message: whole when short, cut when long, so that an
 * answer never echoes megabytes back (or floods a log) because a client sent them.
 */
public final class Quoted {

  /** Longest part of a value an error message repeats. */
  public static final int MAX = 80;

  private Quoted() {}

  /** {@code 'value'}, or its first {@value #MAX} characters and its length. */
  public static String brief(String value) {
    if (value.length() <= MAX) {
      return "'" + value + "'";
    }
    return "'" + value.substring(0, MAX) + "...' (" + value.length() + " characters)";
  }
}
