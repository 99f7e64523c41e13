package io.lifeboat.stage.common.auth;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * The fixed start of each folder glob (before its first wildcard), e.g. /srv/prod- of
   * /srv/prod-*.
   */
  private final List<String> folderPrefixes = new ArrayList<>();

  public ProductionTargets(List<String> globs) {
    for (String g : globs) {
      String glob = g.strip();
      if (!glob.isEmpty()) {
        this.globs.add(glob(glob));
        if (glob.startsWith("/")) {
          int wild = glob.length();
          for (char c : new char[] {'*', '?'}) {
            int i = glob.indexOf(c);
            if (i >= 0) {
              wild = Math.min(wild, i);
            }
          }
          folderPrefixes.add(glob.substring(0, wild));
        }
      }
    }
  }

  /** The globs this process is configured with. */
  public static ProductionTargets from(Environment env) {
    return new ProductionTargets(
        List.of(env.getProperty("lifeboat.auth.production.targets", "").split(",")));
  }

  /**
   * Whether the target spec is a production one: a glob matches it as written or in its normal form
   * (a folder's path normalized; a database URI as {@code scheme://host/database}, scheme postgres
   * or mysql, host in lower case, without user or port, and with its port), or it is a folder that
   * holds a production folder (restoring into {@code /srv} reaches {@code /srv/prod-shop}).
   */
  @Override
  public boolean test(String target) {
    String t = target.strip();
    for (String form : forms(t)) {
      if (globs.stream().anyMatch(p -> p.matcher(form).matches())) {
        return true;
      }
      if (form.startsWith("/")) {
        String folder = form.endsWith("/") ? form : form + "/";
        if (folderPrefixes.stream().anyMatch(prefix -> prefix.startsWith(folder))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The spellings of a target a glob is matched against. */
  static List<String> forms(String target) {
    List<String> forms = new ArrayList<>();
    forms.add(target);
    if (target.contains("://")) {
      try {
        URI u = URI.create(target);
        if (u.getHost() != null) {
          String scheme = family(u.getScheme());
          String host = u.getHost().toLowerCase(Locale.ROOT);
          String path = u.getRawPath() == null ? "" : u.getRawPath();
          forms.add(scheme + "://" + host + path);
          if (u.getPort() >= 0) {
            forms.add(scheme + "://" + host + ":" + u.getPort() + path);
          }
        }
      } catch (IllegalArgumentException e) {
        // judged as written
      }
      return forms;
    }
    if (target.startsWith("/")) {
      forms.add(normalized(target));
      int q = target.indexOf('?');
      if (q >= 0) {
        forms.add(normalized(target.substring(0, q)));
      }
    }
    return forms;
  }

  private static String family(String scheme) {
    String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    return switch (s) {
      case "postgresql" -> "postgres";
      case "mariadb" -> "mysql";
      default -> s;
    };
  }

  /**
   * A folder path normalized ({@code ..}, {@code //}, {@code .} gone); the spec as is otherwise.
   */
  static String normalized(String target) {
    try {
      return Path.of(target).normalize().toString();
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
