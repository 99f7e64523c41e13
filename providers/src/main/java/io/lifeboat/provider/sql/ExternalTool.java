package io.lifeboat.provider.sql;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A database's own command-line tool (pg_dump, mariadb-dump, ...), found on the PATH or in the
 * usual install folders, run with its output streamed and its errors kept for the message.
 * Credentials go through the environment or a private option file, never the command line.
 */
public final class ExternalTool {

  private final String name;
  private final Path path;

  private ExternalTool(String name, Path path) {
    this.name = name;
    this.path = path;
  }

  /**
   * The first of {@code names} found; extra folders are searched after the PATH. The system
   * property {@code lifeboat.tools.path} (a PATH-style list), when set, replaces both.
   */
  public static Optional<ExternalTool> find(List<String> names, List<Path> extraDirs) {
    List<Path> dirs = new ArrayList<>();
    String override = System.getProperty("lifeboat.tools.path");
    if (override != null) {
      extraDirs = List.of();
    }
    String env = override != null ? override : System.getenv("PATH");
    if (env != null) {
      for (String d : env.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(Path.of(d));
        }
      }
    }
    dirs.addAll(extraDirs);
    for (String n : names) {
      for (Path d : dirs) {
        Path p = d.resolve(n);
        if (Files.isExecutable(p) && !Files.isDirectory(p)) {
          return Optional.of(new ExternalTool(n, p));
        }
      }
    }
    return Optional.empty();
  }

  /** Folders like /usr/lib/postgresql/16/bin, newest version first. */
  public static List<Path> versionedDirs(Path parent, String sub) {
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(parent)) {
      return s.map(p -> p.resolve(sub))
          .filter(Files::isDirectory)
          .sorted(
              Comparator.comparing(
                      (Path p) ->
                          versionOf(Objects.requireNonNull(p.getParent()).getFileName().toString()))
                  .reversed())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static int versionOf(String s) {
    try {
      return Integer.parseInt(s.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public String name() {
    return name;
  }

  public Path path() {
    return path;
  }

  /** The first line the tool prints for --version. */
  public String version() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    run(List.of("--version"), Map.of(), null, out);
    return out.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
  }

  /**
   * Runs the tool. Feeds {@code stdin} (if any) and copies its standard output to {@code stdout}.
   * Returns what it wrote to standard error (the first 64 KiB).
   *
   * @throws IOException with the tool's error output when it exits non-zero
   */
  public String run(
      List<String> args,
      Map<String, String> env,
      @Nullable InputStream stdin,
      @Nullable OutputStream stdout)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(path.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectInput(
        stdin == null
            ? ProcessBuilder.Redirect.from(new File("/dev/null"))
            : ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errors = new Thread(() -> copyBounded(p.getErrorStream(), err), name + "-stderr");
    errors.setDaemon(true);
    errors.start();
    Thread feeder = null;
    IOException[] feedFailure = new IOException[1];
    if (stdin != null) {
      feeder =
          new Thread(
              () -> {
                try (OutputStream toTool = p.getOutputStream()) {
                  stdin.transferTo(toTool);
                } catch (IOException e) {
                  feedFailure[0] = e;
                }
              },
              name + "-stdin");
      feeder.setDaemon(true);
      feeder.start();
    }
    try {
      try (InputStream fromTool = p.getInputStream()) {
        if (stdout != null) {
          fromTool.transferTo(stdout);
        } else {
          fromTool.transferTo(OutputStream.nullOutputStream());
        }
      }
      int code = p.waitFor();
      if (feeder != null) {
        feeder.join(TimeUnit.MINUTES.toMillis(1));
      }
      errors.join(5000);
      if (feedFailure[0] != null && !"Broken pipe".equals(feedFailure[0].getMessage())) {
        // The input broke (a damaged chunk, say): that is the cause, whatever the tool made of it.
        throw new IOException(
            feedFailure[0].getMessage() + " (" + name + " stopped with exit " + code + ")",
            feedFailure[0]);
      }
      if (code != 0) {
        throw new IOException(
            name + " failed (exit " + code + "): " + tail(err.toString(StandardCharsets.UTF_8)));
      }
      if (feedFailure[0] != null) {
        throw new IOException(
            name + " stopped reading its input: " + tail(err.toString(StandardCharsets.UTF_8)));
      }
      return err.toString(StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(name + " interrupted", e);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static void copyBounded(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() < 64 * 1024) {
          out.write(buf, 0, n);
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
  }

  private static String tail(String s) {
    String t = s.strip();
    List<String> lines = t.lines().toList();
    return lines.isEmpty()
        ? "(no error output)"
        : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
