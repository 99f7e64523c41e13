package io.lifeboat.provider.redis;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code redis://host:6379/0[?keyPattern=app:*]}: the keys of one database (optionally those
 * matching a pattern), each as its DUMP payload with its absolute expiry, sorted by name so an
 * unchanged keyspace dumps to the same bytes. Restores with RESTORE (ABSTTL) into a target
 * database; keys whose expiry has passed are not restored.
 *
 * <p>Consistency: keys are read one batch at a time (SCAN, then DUMP), so the dump is consistent
 * per key, not across keys. Flush policy: a restore never flushes a database; an occupied target is
 * refused, merged into (--force: RESTORE ... REPLACE), or its matching keys are moved aside into an
 * owner-only file and put back if the restore fails (--replace).
 */
public final class RedisProvider implements ComponentProvider {

  private static final int BATCH = 200;
  private final Path asideDir;

  public RedisProvider() {
    this(Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-aside"));
  }

  RedisProvider(Path asideDir) {
    this.asideDir = asideDir;
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public int defaultPort() {
    return 6379;
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    RedisUri uri = RedisUri.parse(spec);
    return new ComponentSource(kind(), spec, uri.display());
  }

  private static RedisUri uri(String spec) throws IOException {
    try {
      return RedisUri.parse(spec);
    } catch (InvalidSourceException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public List<String> check(ComponentSource source) {
    try (RedisConnection c = RedisConnection.open(uri(source.location()))) {
      c.call("PING");
      return List.of();
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    RedisUri uri = uri(source.location());
    try (RedisConnection c = RedisConnection.open(uri)) {
      String version = serverVersion(c);
      List<byte[]> keys = scan(c, uri.keyPattern());
      keys.sort(Arrays::compareUnsigned);
      KeyRecords.Writer w = new KeyRecords.Writer(out);
      Map<String, Long> types = new TreeMap<>();
      long withTtl = 0;
      boolean expireTime = hasExpireTime(c);
      for (int i = 0; i < keys.size(); i += BATCH) {
        List<byte[]> batch = keys.subList(i, Math.min(keys.size(), i + BATCH));
        long now = System.currentTimeMillis();
        for (byte[] k : batch) {
          c.send("TYPE".getBytes(StandardCharsets.US_ASCII), k);
          c.send((expireTime ? "PEXPIRETIME" : "PTTL").getBytes(StandardCharsets.US_ASCII), k);
          c.send("DUMP".getBytes(StandardCharsets.US_ASCII), k);
        }
        c.flush();
        for (byte[] k : batch) {
          String type = String.valueOf(c.read());
          Object expiry = c.read();
          byte[] payload = (byte[]) c.read();
          if (payload == null || "none".equals(type)) {
            continue; // deleted since the SCAN
          }
          long ms =
              (Long) Objects.requireNonNull(expiry); // PTTL and PEXPIRETIME always answer a number
          long expireAt = ms < 0 ? -1 : expireTime ? ms : now + ms;
          if (expireAt >= 0) {
            withTtl++;
          }
          types.merge(type, 1L, Long::sum);
          w.write(new KeyRecords.Key(k, expireAt, payload));
        }
      }
      long count = w.finish();
      Map<String, String> metadata = new HashMap<>();
      metadata.put("keys", Long.toString(count));
      metadata.put("keysWithTtl", Long.toString(withTtl));
      metadata.put("db", Integer.toString(uri.db()));
      metadata.put("keyPattern", uri.keyPattern());
      metadata.put("redisVersion", version);
      types.forEach((t, n) -> metadata.put("type." + t, Long.toString(n)));
      return new DumpResult(metadata, List.of());
    }
  }

  /**
   * Redis 7 answers PEXPIRETIME (absolute expiry, stable between dumps); older servers only PTTL,
   * and then an expiry computed from it moves by a millisecond or so between dumps.
   */
  private static boolean hasExpireTime(RedisConnection c) throws IOException {
    try {
      c.call("PEXPIRETIME", "lifeboat:probe:no-such-key");
      return true;
    } catch (RedisConnection.RedisError e) {
      return false;
    }
  }

  private static String serverVersion(RedisConnection c) throws IOException {
    String info = new String((byte[]) c.call("INFO", "server"), StandardCharsets.UTF_8);
    for (String line : info.split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length());
      }
    }
    return "unknown";
  }

  @SuppressWarnings("unchecked")
  private static List<byte[]> scan(RedisConnection c, String pattern) throws IOException {
    List<byte[]> keys = new ArrayList<>();
    String cursor = "0";
    do {
      List<Object> reply =
          (List<Object>)
              Objects.requireNonNull(c.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000"));
      cursor = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
      for (Object k : (List<Object>) reply.get(1)) {
        keys.add((byte[]) k);
      }
    } while (!cursor.equals("0"));
    // SCAN may return a key twice while the table rehashes
    List<byte[]> unique = new ArrayList<>();
    keys.sort(Arrays::compareUnsigned);
    for (byte[] k : keys) {
      if (unique.isEmpty() || !Arrays.equals(unique.get(unique.size() - 1), k)) {
        unique.add(k);
      }
    }
    return unique;
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    try (RedisConnection c = RedisConnection.open(uri(target.spec()))) {
      if (target.occupied() == RestoreTarget.Occupied.REFUSE
          && !scan(c, uri(target.spec()).keyPattern()).isEmpty()) {
        return List.of(
            uri(target.spec()).display()
                + " already holds keys (restore with --replace to move them aside, or --force to overwrite keys of the same name)");
      }
      return List.of();
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
  }

  @Override
  public boolean occupied(RestoreTarget target) throws IOException {
    RedisUri uri = uri(target.spec());
    try (RedisConnection c = RedisConnection.open(uri)) {
      return !scan(c, uri.keyPattern()).isEmpty();
    }
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    RedisUri uri = uri(target.spec());
    // the only copy of the original goes here: a folder another user made (in /tmp) could be
    // used to swap it before a rollback replays it
    io.lifeboat.core.policy.RealPaths.makeOwnFolder(asideDir);
    Path file =
        Files.createTempFile(
            asideDir,
            "redis-" + uri.db() + "-",
            ".keys",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file)) {
      dump(new ComponentSource(kind(), target.spec(), uri.display()), out);
    }
    deleteMatching(uri);
    return new Aside(kind(), target.spec(), file.toString(), Instant.now());
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    restoreKeys(stream, uri(target.spec()), target.occupied() == RestoreTarget.Occupied.MERGE);
  }

  private static long restoreKeys(InputStream stream, RedisUri uri, boolean replace)
      throws IOException {
    KeyRecords.Reader r = new KeyRecords.Reader(stream);
    long restored = 0;
    try (RedisConnection c = RedisConnection.open(uri)) {
      int pending = 0;
      KeyRecords.Key k;
      while ((k = r.next()) != null) {
        long now = System.currentTimeMillis();
        if (k.expireAtMs() >= 0 && k.expireAtMs() <= now) {
          continue; // expired since the backup
        }
        List<byte[]> args =
            new ArrayList<>(
                List.of(
                    bytes("RESTORE"),
                    k.name(),
                    bytes(Long.toString(Math.max(0, k.expireAtMs()))),
                    k.payload()));
        if (replace) {
          args.add(bytes("REPLACE"));
        }
        if (k.expireAtMs() >= 0) {
          args.add(bytes("ABSTTL"));
        }
        c.send(args.toArray(byte[][]::new));
        if (++pending == BATCH) {
          restored += drain(c, pending);
          pending = 0;
        }
      }
      restored += drain(c, pending);
    }
    return restored;
  }

  private static long drain(RedisConnection c, int pending) throws IOException {
    c.flush();
    IOException first = null;
    for (int i = 0; i < pending; i++) {
      try {
        c.read();
      } catch (RedisConnection.RedisError e) {
        if (first == null) {
          first =
              new IOException(
                  "RESTORE failed: "
                      + e.getMessage()
                      + (String.valueOf(e.getMessage()).startsWith("BUSYKEY")
                          ? " (the target holds a key of the same name)"
                          : ""));
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return pending;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void deleteMatching(RedisUri uri) throws IOException {
    try (RedisConnection c = RedisConnection.open(uri)) {
      List<byte[]> keys = scan(c, uri.keyPattern());
      for (int i = 0; i < keys.size(); i += BATCH) {
        List<byte[]> batch = keys.subList(i, Math.min(keys.size(), i + BATCH));
        List<byte[]> args = new ArrayList<>();
        args.add(bytes("DEL"));
        args.addAll(batch);
        c.call(args.toArray(byte[][]::new));
      }
    }
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    RedisUri uri = uri(target.spec());
    long actual;
    try (RedisConnection c = RedisConnection.open(uri)) {
      actual = scan(c, uri.keyPattern()).size();
    }
    long keys = Long.parseLong(metadata.getOrDefault("keys", "0"));
    long withTtl = Long.parseLong(metadata.getOrDefault("keysWithTtl", "0"));
    if (target.occupied() == RestoreTarget.Occupied.MERGE) {
      return actual >= keys - withTtl
          ? new HealthReport(
              List.of(
                  actual
                      + " keys in the target (merged; at least "
                      + (keys - withTtl)
                      + " expected)"),
              List.of())
          : new HealthReport(
              List.of(), List.of("only " + actual + " keys in the target, the backup had " + keys));
    }
    if (actual > keys || actual < keys - withTtl) {
      return new HealthReport(
          List.of(),
          List.of(
              actual
                  + " keys restored, the backup had "
                  + keys
                  + " ("
                  + withTtl
                  + " with a TTL that may have expired since)"));
    }
    return new HealthReport(
        List.of(
            "key count "
                + actual
                + " matches the backup's "
                + keys
                + (withTtl > 0 ? " (" + withTtl + " keys with TTL)" : "")),
        List.of());
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    RedisUri uri = uri(target.spec());
    if (aside.isPresent() && !Files.exists(Path.of(aside.get().location()))) {
      // without the original, the restored keys are all there is: keep them
      throw new IOException(
          "the original keys of "
              + target.spec()
              + " are no longer at "
              + aside.get().location()
              + "; the restored keys are left in place");
    }
    deleteMatching(uri);
    if (aside.isPresent()) {
      try (InputStream in = Files.newInputStream(Path.of(aside.get().location()))) {
        restoreKeys(in, uri, true);
      }
    }
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    Files.deleteIfExists(Path.of(aside.location()));
  }
}
