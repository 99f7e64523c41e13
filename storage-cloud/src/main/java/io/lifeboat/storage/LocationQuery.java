package io.lifeboat.storage;

import io.lifeboat.core.storage.StorageException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ?key=value&...} options of a cloud location, checked against the keys a backend knows
 * so that a typo fails loudly instead of being ignored. Error messages name the key, never the
 * value: values are not secret by design, but a mistyped secret must not end up in a log.
 */
public final class LocationQuery {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|k|K|M|G)?", Pattern.CASE_INSENSITIVE);

  private final String scheme;
  private final Map<String, String> values;

  private LocationQuery(String scheme, Map<String, String> values) {
    this.scheme = scheme;
    this.values = values;
  }

  /** Parses the raw query of {@code uri}; fails on keys outside {@code known} or repeated keys. */
  public static LocationQuery parse(URI uri, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!known.contains(key)) {
          throw StorageException.permanent(
              uri.getScheme() + " location: unknown option '" + key + "' (known: " + known + ")",
              null);
        }
        if (values.put(key, value) != null) {
          throw StorageException.permanent(
              uri.getScheme() + " location: option '" + key + "' given twice", null);
        }
      }
    }
    return new LocationQuery(uri.getScheme(), values);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
  }

  public boolean bool(String key, boolean dflt) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return dflt;
    }
    switch (v.get().toLowerCase()) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(key, "true or false");
    }
  }

  public Optional<Integer> positiveInt(String key) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n > 0) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw invalid(key, "a positive whole number");
  }

  /** A byte size: a number of bytes, or with a unit KiB, MiB, GiB (K, M, G mean the same). */
  public Optional<Long> size(String key) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = SIZE.matcher(v.get().strip());
    if (!m.matches()) {
      throw invalid(key, "a size such as 16MiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).substring(0, 1).toUpperCase();
    int shift;
    switch (unit) {
      case "K":
        shift = 10;
        break;
      case "M":
        shift = 20;
        break;
      case "G":
        shift = 30;
        break;
      default:
        shift = 0;
    }
    return Optional.of(n << shift);
  }

  /** An error naming the option and what it should be, without echoing the given value. */
  public StorageException invalid(String key, String expected) {
    return StorageException.permanent(
        scheme + " location: option '" + key + "' must be " + expected, null);
  }
}
