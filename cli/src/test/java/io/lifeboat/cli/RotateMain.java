package io.lifeboat.cli;

import io.lifeboat.core.repo.KeyRotation;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.local.LocalBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * {@link KeyRotationKillIT}'s child: rotates the key of a repository with a primary and a replica
 * (fsync'd local folders), printing {@code STEP <name>} before each step and pausing there, so the
 * parent can kill it (SIGKILL) in each step. Arguments: primary, replica, key file, pause ms, seed.
 */
public final class RotateMain {

  private RotateMain() {}

  public static void main(String[] args) throws Exception {
    Path primary = Path.of(args[0]);
    Path replica = Path.of(args[1]);
    Path keyFile = Path.of(args[2]);
    long pause = Long.parseLong(args[3]);
    Random random = new Random(Long.parseLong(args[4]));
    List<Backend> locations =
        List.of(new LocalBackend(primary, true), new LocalBackend(replica, true));
    KeyRotation.Result r =
        KeyRotation.rotate(
            locations,
            keyFile,
            step -> {
              System.out.println("STEP " + step);
              System.out.flush();
              if (pause > 0) {
                try {
                  Thread.sleep(random.nextInt((int) pause + 1));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    System.out.println("DONE " + r.from() + " " + r.to());
  }
}
