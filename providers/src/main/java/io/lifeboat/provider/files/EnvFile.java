package io.lifeboat.provider.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Environment variables as a file a shell can source: {@code NAME='value'} per line, single quotes
 * escaped as {@code '\''}. Sorted by name, so the same variables give the same bytes.
 */
final class EnvFile {

  private EnvFile() {}

  static byte[] write(Map<String, String> vars) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(vars)
        .forEach((k, v) -> b.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The variable names of an env file written by {@link #write}. */
  static List<String> names(byte[] content) throws IOException {
    String s = new String(content, StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0 || eq + 1 >= s.length() || s.charAt(eq + 1) != '\'') {
        throw new IOException("not an env file written by Lifeboat (at character " + i + ")");
      }
      names.add(s.substring(i, eq));
      int j = eq + 2;
      while (true) {
        int q = s.indexOf('\'', j);
        if (q < 0) {
          throw new IOException("unterminated value of " + names.get(names.size() - 1));
        }
        if (s.startsWith("'\\''", q)) {
          j = q + 4;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < s.length() && s.charAt(i) == '\n') {
        i++;
      }
    }
    return names;
  }
}
