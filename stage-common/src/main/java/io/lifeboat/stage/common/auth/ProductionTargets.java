package io.lifeboat.stage.common.auth;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * The targets that are production ({@code lifeboat.auth.production.targets}: globs over a whole
 * target spec, {@code *} any run of characters, slashes too, {@code ?} one). A folder target is
 * compared as its normalized absolute path, so {@code /srv/x/../prod}, {@code /srv//prod} and
 * {@code /srv/./prod} are {@code /srv/prod}; links are resolved where the restore runs (the
 * executor refuses a target that reaches production through one).
 */
public final class ProductionTargets implements Predicate<String> {

  private final List<Pattern> globs = new ArrayList<>();

  public ProductionTargets(List<String> globs) {
    for (String g : globs) {
      if (!g.isBlank()) {
        this.globs.add(glob(g.strip()));
      }
    }
  }

  /** The globs this process is configured with. */
  public static ProductionTargets from(Environment env) {
    return new ProductionTargets(
        List.of(env.getProperty("lifeboat.auth.production.targets", "").split(",")));
  }

  /** Whether the target spec is a production one. */
  @Override
  public boolean test(String target) {
    String t = normalized(target.strip());
    return globs.stream().anyMatch(p -> p.matcher(t).matches());
  }

  /**
   * A folder target's absolute path normalized (its {@code ?options} kept); anything else as is.
   */
  static String normalized(String target) {
    if (target.contains("://") || !target.startsWith("/")) {
      return target;
    }
    int q = target.indexOf('?');
    try {
      Path p = Path.of(q < 0 ? target : target.substring(0, q)).normalize();
      return p + (q < 0 ? "" : target.substring(q));
    } catch (InvalidPathException e) {
      return target;
    }
  }

  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
