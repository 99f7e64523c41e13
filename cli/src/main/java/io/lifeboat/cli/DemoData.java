package io.lifeboat.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/** A small sample of what a service's host holds: config, logs, a SQL dump, binaries. */
final class DemoData {

  private DemoData() {}

  static Path create(Path root) throws IOException {
    Random random = new Random(42);
    Files.createDirectories(root.resolve("etc/myapp"));
    Files.writeString(
        root.resolve("etc/myapp/config.yaml"),
        "server:\n  port: 8443\n  workers: 8\ndatabase:\n  url: postgres://app@db:5432/app\n");
    Files.writeString(
        root.resolve("etc/myapp/feature-flags.json"),
        "{\"newCheckout\": true, \"darkMode\": false}\n");
    Path secret = root.resolve("etc/myapp/tls.key");
    Files.writeString(secret, "-----BEGIN DEMO KEY-----\nnot a real key\n-----END DEMO KEY-----\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(root.resolve("var/log/myapp"));
    for (int f = 0; f < 3; f++) {
      try (BufferedWriter w =
          Files.newBufferedWriter(
              root.resolve("var/log/myapp/app-" + f + ".log"), StandardCharsets.UTF_8)) {
        for (int i = 0; i < 60_000; i++) {
          w.write(
              "2026-11-25T03:"
                  + String.format("%02d:%02d.%03d", (i / 60) % 60, i % 60, i % 1000)
                  + " INFO  [worker-"
                  + (i % 8)
                  + "] request id="
                  + Long.toHexString(random.nextLong())
                  + " path=/api/orders/"
                  + random.nextInt(100_000)
                  + " status=200 took="
                  + random.nextInt(500)
                  + "ms\n");
        }
      }
    }
    Files.createDirectories(root.resolve("srv/db"));
    try (BufferedWriter w =
        Files.newBufferedWriter(root.resolve("srv/db/orders.sql"), StandardCharsets.UTF_8)) {
      w.write("CREATE TABLE orders (id bigint primary key, customer text, total numeric(10,2));\n");
      for (int i = 0; i < 80_000; i++) {
        w.write(
            "INSERT INTO orders VALUES ("
                + i
                + ", 'customer-"
                + random.nextInt(5000)
                + "', "
                + random.nextInt(100_000) / 100.0
                + ");\n");
      }
    }
    Files.createDirectories(root.resolve("srv/releases"));
    byte[] binary = new byte[6 * 1024 * 1024];
    random.nextBytes(binary);
    Files.write(root.resolve("srv/releases/myapp-1.4.2.bin"), binary);
    Files.createSymbolicLink(root.resolve("srv/releases/current"), Path.of("myapp-1.4.2.bin"));
    Files.createDirectories(root.resolve("srv/uploads/empty folder"));
    Files.writeString(
        root.resolve("srv/uploads/résumé café.txt"), "names with spaces and accents\n");
    return root;
  }
}
