package io.lifeboat.cli;

import io.lifeboat.stage.common.auth.Role;
import io.lifeboat.stage.common.auth.TokenStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat token add|list|revoke}: the named API tokens of roles mode, in {@code
 * $LIFEBOAT_HOME/api-tokens}. Whoever may write that file administers the tokens: run it on the
 * host of the API, as the user Lifeboat runs as.
 */
@Command(
    name = "token",
    description =
        "Named API tokens with roles (viewer, operator, admin), used when lifeboat.auth.mode=roles.",
    subcommands = {
      TokenCommand.Add.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("usage: lifeboat token add|list|revoke (see lifeboat token --help)");
    return ExitCodes.USAGE;
  }

  static TokenStore store(CliSettings settings, Path file) {
    return new TokenStore(file != null ? file : settings.home().resolve("api-tokens"));
  }

  @Command(
      name = "add",
      description =
          "Make a token for a person or a system. It is printed once (or written to --out) and"
              + " kept only as a salted hash.")
  static final class Add implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Parameters(paramLabel = "NAME", description = "Who holds it, e.g. alice or ci-pipeline")
    String name;

    @Option(
        names = "--role",
        required = true,
        description = "viewer (read), operator (backups, restores, tests), admin (everything)")
    String role;

    @Option(names = "--out", description = "Write the token to this file (owner-only) instead")
    Path out;

    @Option(names = "--tokens-file", description = "Default: $LIFEBOAT_HOME/api-tokens")
    Path file;

    PrintStream stdout = System.out;

    @Override
    public Integer call() throws CliException {
      TokenStore.Issued issued;
      try {
        issued = store(settings, file).add(name, Role.parse(role));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
      }
      if (out != null) {
        try {
          Files.deleteIfExists(out);
          Files.createFile(
              out,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(out, issued.token() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
          throw new CliException(ExitCodes.ERROR, "cannot write " + out + ": " + e.getMessage());
        }
        stdout.println(
            "token "
                + issued.entry().id()
                + " for "
                + name
                + " ("
                + issued.entry().role().label()
                + ") written to "
                + out);
      } else {
        stdout.println(issued.token());
        System.err.println(
            "token "
                + issued.entry().id()
                + " for "
                + name
                + " ("
                + issued.entry().role().label()
                + "): shown once; send it as Authorization: Bearer, or set LIFEBOAT_TOKEN for the"
                + " lifeboat command");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      description = "The tokens there are: id, name, role, created (no secrets).")
  static final class ListTokens implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Option(names = "--tokens-file", description = "Default: $LIFEBOAT_HOME/api-tokens")
    Path file;

    PrintStream stdout = System.out;

    @Override
    public Integer call() throws CliException {
      try {
        var entries = store(settings, file).list();
        stdout.printf("%-10s %-24s %-9s %s%n", "ID", "NAME", "ROLE", "CREATED");
        for (TokenStore.Entry e : entries) {
          stdout.printf("%-10s %-24s %-9s %s%n", e.id(), e.name(), e.role().label(), e.created());
        }
        return ExitCodes.OK;
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
      }
    }
  }

  @Command(name = "revoke", description = "Remove a token: it stops working at once.")
  static final class Revoke implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Parameters(paramLabel = "NAME|ID", description = "The token's name or id")
    String which;

    @Option(names = "--tokens-file", description = "Default: $LIFEBOAT_HOME/api-tokens")
    Path file;

    PrintStream stdout = System.out;

    @Override
    public Integer call() throws CliException {
      if (!store(settings, file).revoke(which)) {
        throw new CliException(ExitCodes.ERROR, "no token named or with id " + which);
      }
      stdout.println("revoked " + which);
      return ExitCodes.OK;
    }
  }
}
