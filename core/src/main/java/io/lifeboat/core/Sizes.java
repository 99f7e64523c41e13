package io.lifeboat.core;

import java.util.Locale;

/** Byte counts as people read them (binary units), in one place for every message and command. */
public final class Sizes {

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

  private Sizes() {}

  /** 512 B, 1.5 KiB, 3.2 GiB. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
  }
}
