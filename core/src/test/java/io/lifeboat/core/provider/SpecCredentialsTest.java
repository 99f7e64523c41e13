package io.lifeboat.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.crypto.AuthenticationException;
import io.lifeboat.core.crypto.CredentialSeal;
import io.lifeboat.core.crypto.MasterKey;
import org.junit.jupiter.api.Test;

class SpecCredentialsTest {

  @Test
  void split_takesThePasswordOut_andInjectPutsItBack() {
    var s =
        SpecCredentials.split("postgres://app:p%40ss:w0rd@db.example:5432/shop?passwordFile=/x");
    assertThat(s.spec()).isEqualTo("postgres://app@db.example:5432/shop?passwordFile=/x");
    assertThat(s.password()).hasValue("p@ss:w0rd");
    assertThat(SpecCredentials.inject(s.spec(), s.password().get()))
        .isEqualTo("postgres://app:p%40ss%3Aw0rd@db.example:5432/shop?passwordFile=/x");
  }

  @Test
  void split_redisWithoutUser_andSpecsWithoutPassword() {
    var r = SpecCredentials.split("redis://:secret@127.0.0.1:6379/0");
    assertThat(r.spec()).isEqualTo("redis://127.0.0.1:6379/0");
    assertThat(r.password()).hasValue("secret");
    assertThat(SpecCredentials.inject(r.spec(), "secret"))
        .isEqualTo("redis://:secret@127.0.0.1:6379/0");
    assertThat(SpecCredentials.split("files:/etc/app").password()).isEmpty();
    assertThat(SpecCredentials.split("mysql://root@127.0.0.1/db").password()).isEmpty();
    assertThat(SpecCredentials.hasPassword("mysql://root:x@127.0.0.1/db")).isTrue();
  }

  @Test
  void sealedCredential_opensOnlyForItsBackupAndComponent() throws Exception {
    MasterKey key = MasterKey.generate();
    byte[] sealed = CredentialSeal.seal(key, "b-1", "db", "postgres://app@db1/shop", "hunter2");
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("hunter2");
    assertThat(CredentialSeal.open(key, "b-1", "db", "postgres://app@db1/shop", sealed))
        .isEqualTo("hunter2");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CredentialSeal.open(key, "b-1", "db", "postgres://app@evil.example/shop", sealed))
        .isInstanceOf(AuthenticationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CredentialSeal.open(key, "b-2", "db", "postgres://app@db1/shop", sealed))
        .isInstanceOf(AuthenticationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CredentialSeal.open(
                    MasterKey.generate(), "b-1", "db", "postgres://app@db1/shop", sealed))
        .isInstanceOf(AuthenticationException.class);
  }
}
