package io.lifeboat.stage.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

  @TempDir Path dir;

  @Test
  void aTokenAuthenticatesAsItsNameAndRole_andTheFileHoldsNoSecret() throws Exception {
    TokenStore store = new TokenStore(dir.resolve("api-tokens"));
    TokenStore.Issued alice = store.add("alice", Role.ADMIN);
    TokenStore.Issued ci = store.add("ci", Role.OPERATOR);

    assertThat(store.authenticate(alice.token()).map(TokenStore.Entry::name)).contains("alice");
    assertThat(store.authenticate(alice.token()).map(TokenStore.Entry::role)).contains(Role.ADMIN);
    assertThat(store.authenticate(ci.token()).map(TokenStore.Entry::role)).contains(Role.OPERATOR);

    String file = Files.readString(dir.resolve("api-tokens"));
    String secret = alice.token().substring("lbt_12345678_".length());
    assertThat(file).contains("alice").doesNotContain(secret).doesNotContain(alice.token());
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("api-tokens"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aWrongSecret_anUnknownId_andGarbage_authenticateNoOne() {
    TokenStore store = new TokenStore(dir.resolve("api-tokens"));
    String token = store.add("alice", Role.VIEWER).token();
    String wrongSecret =
        token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    String unknownId = "lbt_00000000_" + token.substring("lbt_12345678_".length());

    assertThat(store.authenticate(wrongSecret)).isEmpty();
    assertThat(store.authenticate(unknownId)).isEmpty();
    assertThat(store.authenticate("lbt_")).isEmpty();
    assertThat(store.authenticate("")).isEmpty();
    assertThat(store.authenticate(null)).isEmpty();
  }

  @Test
  void aRevokedToken_stopsWorking_seenByAnotherStoreOnTheSameFile() {
    Path file = dir.resolve("api-tokens");
    TokenStore api = new TokenStore(file); // the service's view
    TokenStore cli = new TokenStore(file); // lifeboat token, another process
    String token = cli.add("bob", Role.OPERATOR).token();
    assertThat(api.authenticate(token)).isPresent();

    assertThat(cli.revoke("bob")).isTrue();

    assertThat(api.authenticate(token)).isEmpty();
    assertThat(cli.revoke("bob")).isFalse();
  }

  @Test
  void namesAreChecked_andOneNameHasOneToken() {
    TokenStore store = new TokenStore(dir.resolve("api-tokens"));
    store.add("alice", Role.ADMIN);
    assertThatThrownBy(() -> store.add("alice", Role.VIEWER))
        .hasMessageContaining("already a token named alice");
    assertThatThrownBy(() -> store.add("a b", Role.VIEWER)).hasMessageContaining("token name");
    assertThatThrownBy(() -> store.add("api", Role.ADMIN)).hasMessageContaining("api-token");
    assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("viewer, operator or admin");
  }

  @Test
  void aFileOthersMayWrite_isRefused() throws Exception {
    Path file = dir.resolve("api-tokens");
    TokenStore store = new TokenStore(file);
    String token = store.add("alice", Role.ADMIN).token();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.writeString(file, Files.readString(file) + "\n"); // changed: read again

    assertThatThrownBy(() -> new TokenStore(file).authenticate(token))
        .hasMessageContaining("may be written by others");
  }
}
