package io.lifeboat.provider.sql;

import io.lifeboat.core.provider.InvalidSourceException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A database URI: {@code scheme://user[:password]@host[:port]/database[?passwordFile=PATH]}. The
 * password comes from the URI, a password file, or an environment variable of the process using it
 * (PGPASSWORD, MYSQL_PWD); {@link #display()} never contains it.
 *
 * @param scheme as written (postgres, postgresql, mysql, mariadb)
 * @param user user name
 * @param password password, or null
 * @param host host
 * @param port port
 * @param database database name (may be empty for a server-level target)
 */
public record DbUri(
    String scheme, String user, @Nullable String password, String host, int port, String database) {

  private static final java.util.regex.Pattern DATABASE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}");

  /** Parses a URI of one of {@code schemes}. */
  public static DbUri parse(
      String spec, Set<String> schemes, int defaultPort, String defaultUser, String passwordEnv)
      throws InvalidSourceException {
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw new InvalidSourceException(
          "not a database URI ("
              + String.join("|", schemes)
              + "://user@host:port/db): "
              + e.getReason());
    }
    if (!schemes.contains(uri.getScheme()) || uri.getHost() == null) {
      throw new InvalidSourceException(
          "not a database URI (" + uri.getScheme() + "://user@host:port/db)");
    }
    String user = defaultUser;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      if (!parts[0].isEmpty()) {
        user = decode(parts[0]);
      }
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String database =
        uri.getPath() == null || uri.getPath().length() <= 1
            ? ""
            : decode(uri.getPath().substring(1));
    if (!database.isEmpty() && !DATABASE_NAME.matcher(database).matches()) {
      // it goes into JDBC URLs and tool arguments: '?', '&', '=' or '/' in it would change their
      // meaning
      throw new InvalidSourceException(
          "database name may hold letters, digits, '_', '$' and '-' only (at most 63), got '"
              + database.replaceAll("[^\\p{Print}]", "?")
              + "'");
    }
    Map<String, String> query = new TreeMap<>();
    if (uri.getRawQuery() != null) {
      for (String part : uri.getRawQuery().split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          query.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
        }
      }
    }
    for (String key : query.keySet()) {
      if (!key.equals("passwordFile")) {
        throw new InvalidSourceException(
            uri.getScheme() + ": unknown option '" + key + "' (passwordFile)");
      }
    }
    if (password == null && query.containsKey("passwordFile")) {
      try {
        password = Files.readString(Path.of(query.get("passwordFile"))).strip();
      } catch (IOException e) {
        throw new InvalidSourceException("cannot read password file " + query.get("passwordFile"));
      }
    }
    if (password == null && passwordEnv != null) {
      String env = System.getenv(passwordEnv);
      password = env == null || env.isEmpty() ? null : env;
    }
    return new DbUri(
        uri.getScheme(),
        user,
        password,
        uri.getHost(),
        uri.getPort() < 0 ? defaultPort : uri.getPort(),
        database);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The same server, another database. */
  public DbUri withDatabase(String db) {
    return new DbUri(scheme, user, password, host, port, db);
  }

  /** The URI as it may be shown: no password. */
  public String display() {
    return scheme + "://" + user + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return display();
  }
}
