package io.lifeboat.provider.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentProviderContractTest;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider contract against the real Redis on this machine, in databases 9-14 under a key
 * prefix of its own.
 */
class RedisProviderIT extends ComponentProviderContractTest {

  static final String HOST = "127.0.0.1";
  static final int PORT = Integer.getInteger("lifeboat.test.redis.port", 6379);

  @TempDir Path aside;
  String run;
  int nextDb;

  @BeforeAll
  static void redisIsThere() {
    RequiredServers.assume(
        "redis", FreePorts.listening(HOST, PORT), "nothing listens on " + HOST + ":" + PORT);
  }

  @BeforeEach
  void newRun() {
    run = "lbtest:" + UUID.randomUUID().toString().substring(0, 8);
    nextDb = 10;
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int db = 9; db <= 14; db++) {
      new RedisProvider(aside)
          .rollBack(
              new io.lifeboat.core.provider.RestoreTarget(spec(db)), java.util.Optional.empty());
    }
  }

  String spec(int db) {
    return "redis://" + HOST + ":" + PORT + "/" + db + "?keyPattern=" + run + ":*";
  }

  static RedisConnection connect(String spec) throws Exception {
    return RedisConnection.open(RedisUri.parse(spec));
  }

  @Override
  protected ComponentProvider provider() {
    return new RedisProvider(aside);
  }

  @Override
  protected String newSource() throws Exception {
    String spec = spec(9);
    try (RedisConnection c = connect(spec)) {
      Random random = new Random(7);
      for (int i = 0; i < 300; i++) {
        c.call("SET", run + ":string:" + i, "value-" + i);
      }
      byte[] binary = new byte[70_000];
      random.nextBytes(binary);
      c.call("SET".getBytes(), (run + ":binary").getBytes(), binary);
      for (int i = 0; i < 50; i++) {
        c.call("HSET", run + ":hash", "field-" + i, "v" + i);
        c.call("RPUSH", run + ":list", "item-" + i);
        c.call("SADD", run + ":set", "member-" + i);
        c.call("ZADD", run + ":zset", Integer.toString(i), "m" + i);
      }
      c.call("SET", run + ":with-ttl", "expires later", "EX", "3600");
      c.call("HSET", run + ":hash-with-ttl", "a", "1");
      c.call("EXPIRE", run + ":hash-with-ttl", "7200");
    }
    return spec;
  }

  @Override
  protected String newTarget() {
    return spec(nextDb++);
  }

  @Override
  protected String occupiedTarget() throws Exception {
    String spec = spec(13);
    try (RedisConnection c = connect(spec)) {
      c.call("SET", run + ":existing", "already here");
      c.call("RPUSH", run + ":existing-list", "a", "b");
    }
    return spec;
  }

  @Override
  protected String missingSource() {
    return "redis://" + HOST + ":" + FreePorts.next() + "/0";
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    Map<String, Object> source = describe(sourceSpec);
    Map<String, Object> target = describe(targetSpec);
    assertThat(source).hasSizeGreaterThan(300);
    List<String> differing =
        source.keySet().stream().filter(k -> !source.get(k).equals(target.get(k))).toList();
    assertThat(differing).as("keys that differ").isEmpty();
    assertThat(target.keySet()).isEqualTo(source.keySet());
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Map<String, Object> describe(String spec) throws Exception {
    Map<String, Object> out = new TreeMap<>();
    RedisUri uri = RedisUri.parse(spec);
    try (RedisConnection c = connect(spec)) {
      String cursor = "0";
      do {
        List<Object> reply =
            (List<Object>) c.call("SCAN", cursor, "MATCH", uri.keyPattern(), "COUNT", "1000");
        cursor = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
        for (Object k : (List<Object>) reply.get(1)) {
          byte[] key = (byte[]) k;
          String type = String.valueOf(c.call("TYPE".getBytes(), key));
          Object value =
              switch (type) {
                case "string" -> HexFormat.of().formatHex((byte[]) c.call("GET".getBytes(), key));
                case "hash" -> new java.util.TreeSet<>(strings(c.call("HGETALL".getBytes(), key)));
                case "list" ->
                    strings(c.call("LRANGE".getBytes(), key, "0".getBytes(), "-1".getBytes()));
                case "set" -> new java.util.TreeSet<>(strings(c.call("SMEMBERS".getBytes(), key)));
                case "zset" ->
                    strings(
                        c.call(
                            "ZRANGE".getBytes(),
                            key,
                            "0".getBytes(),
                            "-1".getBytes(),
                            "WITHSCORES".getBytes()));
                default -> type;
              };
          long ttl = (Long) c.call("PTTL".getBytes(), key);
          out.put(
              new String(key, StandardCharsets.UTF_8),
              type + ":" + value + (ttl > 0 ? " ttl" : ""));
        }
      } while (!cursor.equals("0"));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object reply) {
    return ((List<Object>) reply)
        .stream().map(b -> new String((byte[]) b, StandardCharsets.UTF_8)).toList();
  }

  @Override
  protected void damage(String targetSpec) throws Exception {
    try (RedisConnection c = connect(targetSpec)) {
      for (int i = 0; i < 5; i++) {
        c.call("DEL", run + ":string:" + i);
      }
    }
  }

  @Test
  void dump_recordsCountsTypesAndVersion_andNoPassword() throws Exception {
    String source = newSource();
    var r = provider().dump(provider().parse(source), java.io.OutputStream.nullOutputStream());
    assertThat(r.metadata())
        .containsEntry("keys", "307")
        .containsEntry("keysWithTtl", "2")
        .containsEntry("type.hash", "2")
        .containsEntry("type.zset", "1")
        .containsKey("redisVersion");
    assertThat(provider().parse("redis://admin:s3cret@" + HOST + ":" + PORT + "/2").display())
        .isEqualTo("redis://admin@" + HOST + ":" + PORT + "/2")
        .doesNotContain("s3cret");
  }

  @Test
  void wrongPassword_isAClearProblem() {
    List<String> problems =
        provider()
            .check(
                new io.lifeboat.core.provider.ComponentSource(
                    "redis",
                    "redis://nobody:wrong@" + HOST + ":" + PORT + "/0",
                    "redis://nobody@" + HOST + ":" + PORT + "/0"));
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("refused the credentials")
        .doesNotContain("wrong");
  }
}
