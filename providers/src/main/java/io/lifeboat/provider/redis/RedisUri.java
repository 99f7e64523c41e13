package io.lifeboat.provider.redis;

import io.lifeboat.core.provider.InvalidSourceException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code redis://[user[:password]@]host[:port][/db][?keyPattern=GLOB&passwordFile=PATH]}. The
 * password comes from the URI, a password file, or the environment variable REDISCLI_AUTH of the
 * process using it; {@link #display()} never contains it.
 *
 * @param user ACL user, or null for the default user
 * @param password password, or null
 * @param host host
 * @param port port
 * @param db database number
 * @param keyPattern SCAN MATCH pattern of the keys that belong to the component
 */
record RedisUri(
    @Nullable String user,
    @Nullable String password,
    String host,
    int port,
    int db,
    String keyPattern) {

  static RedisUri parse(String spec) throws InvalidSourceException {
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw new InvalidSourceException("not a redis URI (redis://host:6379/0): " + e.getReason());
    }
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new InvalidSourceException("not a redis URI (redis://host:6379/0)");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = parts[0].isEmpty() ? null : decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new InvalidSourceException("redis database must be a number: " + path.substring(1));
      }
    }
    Map<String, String> query = query(uri.getRawQuery());
    for (String key : query.keySet()) {
      if (!key.equals("keyPattern") && !key.equals("passwordFile")) {
        throw new InvalidSourceException(
            "redis: unknown option '" + key + "' (keyPattern, passwordFile)");
      }
    }
    if (password == null && query.containsKey("passwordFile")) {
      try {
        password = Files.readString(Path.of(query.get("passwordFile"))).strip();
      } catch (IOException e) {
        throw new InvalidSourceException(
            "cannot read redis password file " + query.get("passwordFile"));
      }
    }
    if (password == null) {
      String env = System.getenv("REDISCLI_AUTH");
      password = env == null || env.isEmpty() ? null : env;
    }
    return new RedisUri(
        user,
        password,
        uri.getHost(),
        uri.getPort() < 0 ? 6379 : uri.getPort(),
        db,
        query.getOrDefault("keyPattern", "*"));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new TreeMap<>();
    if (raw != null) {
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          q.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
        }
      }
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URI as it may be shown: no password. */
  String display() {
    return "redis://"
        + (user == null ? "" : user + "@")
        + host
        + ":"
        + port
        + "/"
        + db
        + (keyPattern.equals("*") ? "" : "?keyPattern=" + keyPattern);
  }

  @Override
  public String toString() {
    return display();
  }
}
