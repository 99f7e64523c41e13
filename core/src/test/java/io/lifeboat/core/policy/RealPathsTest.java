package io.lifeboat.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealPathsTest {

  @TempDir Path dir;

  @Test
  void theFolderARestoreWritesInto_isMadeAndMustBeItsOwn() throws Exception {
    Path made = dir.resolve("a/b");
    RealPaths.makeOwnFolder(made);
    assertThat(made).isDirectory();

    // a link put where the policy saw nothing: refused, nothing made through it
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.createSymbolicLink(dir.resolve("planted"), elsewhere);
    assertThatThrownBy(() -> RealPaths.makeOwnFolder(dir.resolve("planted/sub")))
        .hasMessageContaining("a link in its path");
    assertThat(elsewhere.resolve("sub")).doesNotExist();

    // a folder others may write (not sticky): another user could swap what is in it
    Path open = Files.createDirectories(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> RealPaths.makeOwnFolder(open.resolve("x")))
        .hasMessageContaining("is writable by other users");
    assertThat(open.resolve("x")).doesNotExist(); // judged before anything is made in it
  }
}
