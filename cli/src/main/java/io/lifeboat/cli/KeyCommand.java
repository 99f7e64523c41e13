package io.lifeboat.cli;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.KeyRotation;
import io.lifeboat.core.repo.KeySlot;
import io.lifeboat.core.repo.KeySlots;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryNotFoundException;
import io.lifeboat.core.repo.WrongKeyException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat key rotate|add|export|list}: the master key's life. Nothing here re-encrypts
 * data: each master key opens the repository through its own slot (the data keys wrapped under it),
 * so keys can be added and retired cheaply.
 */
@Command(
    name = "key",
    description = "The master key: rotate it, add a second holder, export a copy, list the slots.",
    subcommands = {
      KeyCommand.Rotate.class,
      KeyCommand.Add.class,
      KeyCommand.Export.class,
      KeyCommand.ListSlots.class
    })
final class KeyCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("usage: lifeboat key rotate|add|export|list (see lifeboat key --help)");
    return ExitCodes.USAGE;
  }

  /** Every location, primary first, opened without a key (the commands open them as they need). */
  static List<Backend> locations(CliSettings s) throws CliException {
    try {
      List<Backend> all = new java.util.ArrayList<>();
      all.add(io.lifeboat.core.storage.BackendRegistry.standard().open(s.repository()));
      all.addAll(CliRepository.replicas(s).values());
      return all;
    } catch (StorageException e) {
      throw new CliException(ExitCodes.ERROR, "cannot reach the storage: " + e.getMessage());
    }
  }

  static Path keyFileOnly(CliSettings s) throws CliException {
    if (System.getenv(MasterKey.ENV) != null) {
      throw new CliException(
          ExitCodes.USAGE,
          MasterKey.ENV
              + " is set: key rotate changes the key file, so run it with the key in a file"
              + " (--key-file) and update the variable's secret with the new file afterwards");
    }
    Path file = s.keyFile();
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.ERROR, "no key file at " + file);
    }
    return file;
  }

  @Command(
      name = "rotate",
      description =
          "Make a new master key, give it a slot at every location, switch the key file to it and"
              + " retire the old key everywhere. Run again to finish an interrupted rotation.")
  static final class Rotate implements Callable<Integer> {

    @Mixin CliSettings settings;

    PrintStream out = System.out;

    @Override
    public Integer call() throws CliException {
      Path keyFile = keyFileOnly(settings);
      List<Backend> locations = locations(settings);
      KeyRotation.Result r;
      try {
        r = KeyRotation.rotate(locations, keyFile, step -> {});
      } catch (IOException
          | RepositoryNotFoundException
          | WrongKeyException
          | IllegalStateException
          | StorageException e) {
        throw new CliException(ExitCodes.ERROR, "key rotate: " + e.getMessage());
      }
      out.println(
          (r.resumed() ? "finished the interrupted rotation: " : "rotated: ")
              + "slot "
              + r.from()
              + " retired at "
              + locations.size()
              + " location(s); "
              + keyFile
              + " now holds the new key (slot "
              + r.to()
              + ").");
      out.println(
          "  Keep a copy of the new key away from this machine; the old key no longer opens the"
              + " repository.");
      out.println(
          "  Restart lifeboat up (or the dump, compress-encrypt, verify and executor services):"
              + " they hold the old key in memory.");
      out.println(
          "  Schedules whose sources carry a sealed password must be defined again (their"
              + " passwords were sealed with the old key).");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "add",
      description =
          "Make a second, independent master key with its own slot at every location (a vault"
              + " copy): it opens the repository, and survives rotations of the service key.")
  static final class Add implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Option(names = "--out", required = true, description = "Where to write the new key (new file)")
    Path out;

    @Option(
        names = "--label",
        defaultValue = "vault",
        description = "What it is for (default vault)")
    String label;

    PrintStream stdout = System.out;

    @Override
    public Integer call() throws CliException {
      if (Files.exists(out)) {
        throw new CliException(ExitCodes.USAGE, out + " exists: give a new file");
      }
      MasterKey current = CliRepository.key(settings);
      MasterKey extra = MasterKey.generate();
      try {
        extra.writeTo(out);
        String id = KeySlots.addKey(locations(settings), current, extra, label);
        stdout.println(
            "added key slot "
                + id
                + " ("
                + label
                + ") at every location; the key is in "
                + out
                + ": move it to your vault and delete it here");
        return ExitCodes.OK;
      } catch (IOException | RepositoryNotFoundException | WrongKeyException | StorageException e) {
        throw new CliException(ExitCodes.ERROR, "key add: " + e.getMessage());
      }
    }
  }

  @Command(
      name = "export",
      description =
          "Copy the current master key to a new file (owner-only). It is retired with the original"
              + " at the next rotation: for a lasting second holder use key add.")
  static final class Export implements Callable<Integer> {

    @Mixin CliSettings settings;

    @Option(names = "--out", required = true, description = "Where to write the copy (new file)")
    Path out;

    PrintStream stdout = System.out;

    @Override
    public Integer call() throws CliException {
      if (Files.exists(out)) {
        throw new CliException(ExitCodes.USAGE, out + " exists: give a new file");
      }
      try {
        CliRepository.key(settings).writeTo(out);
      } catch (IOException e) {
        throw new CliException(ExitCodes.ERROR, "key export: " + e.getMessage());
      }
      stdout.println("wrote a copy of the master key to " + out + " (mode 0600)");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      description = "The key slots of each location: ids, labels, retired ones. Never a key.")
  static final class ListSlots implements Callable<Integer> {

    @Mixin CliSettings settings;

    PrintStream stdout = System.out;

    @Override
    public Integer call() throws CliException {
      MasterKey current = CliRepository.key(settings);
      for (Backend b : locations(settings)) {
        try {
          String repositoryId = Repository.readConfig(b).id();
          String mine = KeySlots.slotId(current, repositoryId);
          stdout.println(b.location() + " (repository " + repositoryId + ")");
          Map<String, KeySlots.Tombstone> retired = KeySlots.retired(b);
          stdout.println(
              "  "
                  + KeySlots.CONFIG_SLOT
                  + "  in the config"
                  + (retired.containsKey(KeySlots.CONFIG_SLOT) ? "  RETIRED" : ""));
          for (KeySlot slot : KeySlots.list(b).values()) {
            stdout.println(
                "  "
                    + slot.id()
                    + "  "
                    + slot.label()
                    + "  added "
                    + slot.createdAt()
                    + (slot.id().equals(mine) ? "  (your key)" : "")
                    + (retired.containsKey(slot.id()) ? "  RETIRED" : ""));
          }
          retired.values().stream()
              .filter(t -> !t.id().equals(KeySlots.CONFIG_SLOT))
              .forEach(
                  t ->
                      stdout.println(
                          "  " + t.id() + "  retired " + t.retiredAt() + ": " + t.reason()));
          var journal = KeyRotation.journal(b);
          if (journal != null) {
            stdout.println(
                "  rotation under way: "
                    + journal.from()
                    + " -> "
                    + journal.to()
                    + " (run key rotate to finish it)");
          }
        } catch (RepositoryNotFoundException | StorageException e) {
          stdout.println(b.location() + ": " + e.getMessage());
        }
      }
      return ExitCodes.OK;
    }
  }
}
