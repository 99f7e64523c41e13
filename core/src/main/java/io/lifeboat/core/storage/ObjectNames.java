package io.lifeboat.core.storage;

import java.util.regex.Pattern;

/**
 * Object names are slash-separated segments of letters, digits, '.', '_' and '-', never starting
 * with '.' (no "..", no hidden temp files, no absolute paths), so every backend maps them the same
 * way and a repository can be copied between backends as plain objects.
 */
public final class ObjectNames {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*");

  private ObjectNames() {}

  /** Returns the name, or throws a permanent {@link StorageException} if it is not valid. */
  public static String check(String name) {
    if (name == null || name.isEmpty() || name.length() > 512) {
      throw StorageException.permanent("invalid object name: " + name, null);
    }
    for (String segment : name.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw StorageException.permanent("invalid object name: " + name, null);
      }
    }
    return name;
  }

  /** Checks a list prefix: empty, or a valid name optionally ending with '/'. */
  public static String checkPrefix(String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }
}
