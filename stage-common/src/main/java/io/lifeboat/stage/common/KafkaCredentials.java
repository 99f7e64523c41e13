package io.lifeboat.stage.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A principal's Kafka client settings (security protocol, SASL mechanism and login) in a properties
 * file, {@code <principal>.properties}, readable by its owner only.
 */
public final class KafkaCredentials {

  private KafkaCredentials() {}

  public static Path file(Path dir, String principal) {
    return dir.resolve(principal + ".properties");
  }

  /**
   * @throws IllegalStateException naming the file when it is missing or unreadable
   */
  public static Map<String, String> read(Path dir, String principal) {
    Path file = file(dir, principal);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no Kafka credentials for "
              + principal
              + " at "
              + file
              + " (lifeboat.kafka.credentials-dir): this service authenticates as "
              + principal);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read Kafka credentials " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /**
   * The client settings of a SCRAM-SHA-512 login over SASL on plain TCP (the embedded broker's
   * loopback listener).
   */
  public static String scramProperties(String principal, String password) {
    return "# Kafka credentials of "
        + principal
        + ": keep readable by its service only.\n"
        + "security.protocol=SASL_PLAINTEXT\n"
        + "sasl.mechanism=SCRAM-SHA-512\n"
        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\\\""
        + principal
        + "\\\" password=\\\""
        + password
        + "\\\";\n";
  }
}
