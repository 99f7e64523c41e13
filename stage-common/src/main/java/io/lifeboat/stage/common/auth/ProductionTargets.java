package io.lifeboat.stage.common.auth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * The targets that are production ({@code lifeboat.auth.production.targets}: globs over a whole
 * target spec, {@code *} any run of characters, slashes too, {@code ?} one).
 *
 * <p>A target is production when a glob matches one of its spellings: a folder as written and
 * normalized ({@code /srv/x/../prod}, {@code /srv//prod}, {@code /srv/./prod} are {@code
 * /srv/prod}); a database URI as written and as {@code scheme://host[:port]/database} (scheme
 * postgres, mysql or redis, host in lower case, no user, the database decoded, with and without its
 * default port) — database globs are read in that form too. A folder that could hold a production
 * target is production as well: restoring into {@code /srv} reaches {@code /srv/prod-shop}. Links
 * are resolved where the restore runs (decision 0033).
 */
public final class ProductionTargets implements Predicate<String> {

  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("postgres", 5432, "mysql", 3306, "redis", 6379);

  private final List<String> globs;
  private final List<Pattern> patterns = new ArrayList<>();

  public ProductionTargets(List<String> globs) {
    this.globs = globs.stream().map(String::strip).filter(g -> !g.isEmpty()).toList();
    for (String glob : this.globs) {
      for (String form : globForms(glob)) {
        patterns.add(glob(form));
      }
    }
  }

  /** The globs this process is configured with. */
  public static ProductionTargets from(Environment env) {
    return new ProductionTargets(
        List.of(env.getProperty("lifeboat.auth.production.targets", "").split(",")));
  }

  /**
   * These globs, and each folder glob again with its fixed folder as {@code real} resolves it: the
   * executor's view, in which {@code /data/srv/prod-shop} is production when {@code /srv} links to
   * {@code /data/srv} and a glob says {@code /srv/prod-*}.
   */
  public ProductionTargets withRealFolders(Function<Path, Path> real) {
    List<String> all = new ArrayList<>(globs);
    for (String glob : globs) {
      if (!glob.startsWith("/")) {
        continue;
      }
      int wild = wildcard(glob);
      int slash = glob.lastIndexOf('/', wild - 1);
      String folder = slash <= 0 ? "/" : glob.substring(0, slash);
      try {
        String resolved = real.apply(Path.of(folder)).toString();
        if (!resolved.equals(folder)) {
          all.add(resolved + glob.substring(slash <= 0 ? 0 : slash));
        }
      } catch (InvalidPathException e) {
        // judged as written
      }
    }
    return new ProductionTargets(all);
  }

  /** Whether the target spec is a production one. */
  @Override
  public boolean test(String target) {
    for (String form : forms(target.strip())) {
      for (Pattern p : patterns) {
        Matcher m = p.matcher(form);
        if (m.matches()) {
          return true;
        }
        // a folder that could hold a match: the pattern ran out of input, not into a mismatch
        if (form.startsWith("/")) {
          Matcher below = p.matcher(form.endsWith("/") ? form : form + "/");
          if (!below.matches() && below.hitEnd()) {
            return true;
          }
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
      forms.addAll(uriForms(target));
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

  /** A glob as written, and a database glob in the normal form targets are compared in. */
  private static List<String> globForms(String glob) {
    List<String> forms = new ArrayList<>();
    forms.add(glob);
    if (glob.contains("://")) {
      int scheme = glob.indexOf("://");
      String rest = glob.substring(scheme + 3);
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      authority = authority.substring(authority.indexOf('@') + 1).toLowerCase(Locale.ROOT);
      forms.add(
          family(glob.substring(0, scheme))
              + "://"
              + authority
              + (slash < 0 ? "" : rest.substring(slash)));
    }
    return forms;
  }

  /** {@code scheme://host[:port]/database}, decoded, with and without the default port. */
  private static List<String> uriForms(String target) {
    List<String> forms = new ArrayList<>();
    try {
      URI u = URI.create(target);
      if (u.getHost() == null) {
        return forms;
      }
      String scheme = family(u.getScheme());
      String host = u.getHost().toLowerCase(Locale.ROOT);
      String path =
          u.getRawPath() == null ? "" : URLDecoder.decode(u.getRawPath(), StandardCharsets.UTF_8);
      Integer port = u.getPort() >= 0 ? Integer.valueOf(u.getPort()) : DEFAULT_PORTS.get(scheme);
      forms.add(scheme + "://" + host + path);
      if (port != null) {
        forms.add(scheme + "://" + host + ":" + port + path);
      }
    } catch (IllegalArgumentException e) {
      // judged as written
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

  private static int wildcard(String glob) {
    int wild = glob.length();
    for (char c : new char[] {'*', '?'}) {
      int i = glob.indexOf(c);
      if (i >= 0) {
        wild = Math.min(wild, i);
      }
    }
    return wild;
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
