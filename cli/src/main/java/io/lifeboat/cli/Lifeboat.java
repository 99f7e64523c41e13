package io.lifeboat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lifeboat} command. Client commands (backup, list, show, verify, restore) start no
 * Spring context and no broker; {@code up} and {@code demo} run everything in this JVM.
 */
@Command(
    name = "lifeboat",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "lifeboat 0.1.0-SNAPSHOT",
    description = "Backup and disaster recovery as an event-driven Kafka pipeline.",
    subcommands = {
      UpCommand.class,
      DemoCommand.class,
      InitCommand.class,
      BackupCommand.class,
      ListCommand.class,
      ShowCommand.class,
      VerifyCommand.class,
      RestoreCommand.class,
      ReplicateCommand.class,
      PlanCommand.class,
      RecoverCommand.class,
      TrainCommand.class
    })
public final class Lifeboat {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Lifeboat());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CliException c) {
            commandLine.getErr().println("error: " + c.getMessage());
            return c.exitCode();
          }
          if (System.getenv("LIFEBOAT_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
          commandLine.getErr().println("error: " + message);
          return ExitCodes.ERROR;
        });
    return cli.execute(args);
  }
}
