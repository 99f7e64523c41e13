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
    versionProvider = Lifeboat.Version.class,
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
      CancelCommand.class,
      DeleteCommand.class,
      ForgetCommand.class,
      PruneCommand.class,
      StatsCommand.class,
      ReplicateCommand.class,
      KafkaSetupCommand.class,
      DeadLettersCommand.class,
      PlanCommand.class,
      ScheduleCommand.class,
      RecoverCommand.class,
      TrainCommand.class,
      FailoverCommand.class,
      FailbackCommand.class,
      WalCommand.class,
      TokenCommand.class,
      AuditCommand.class,
      ApprovalCommands.ListApprovals.class,
      ApprovalCommands.Approve.class,
      ApprovalCommands.Reject.class,
      KeyCommand.class
    })
public final class Lifeboat {

  /** The version the build wrote into the jar's manifest (the Maven project version). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Lifeboat.class.getPackage().getImplementationVersion();
      return new String[] {"lifeboat " + (v != null ? v : "(development build: no jar manifest)")};
    }
  }

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
