package io.lifeboat.recovery.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserChecksTest {

  @Test
  void credentialsInTheEnvironment_areKeptFromCommandChecks() {
    for (String name : List.of("LIFEBOAT_MASTER_KEY", "LIFEBOAT_API_TOKEN", "PGPASSWORD", "MYSQL_PWD", "REDISCLI_AUTH",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_ACCOUNT_KEY")) {
      assertThat(UserChecks.SECRET_NAME.matcher(name).find()).as(name).isTrue();
    }
    for (String name : List.of("PATH", "HOME", "PWD", "LIFEBOAT_TARGET_DB", "LANG", "LIFEBOAT_HOME")) {
      assertThat(UserChecks.SECRET_NAME.matcher(name).find()).as(name).isFalse();
    }
  }

  @Test
  void aSecretValueACheckPrints_isMaskedInItsMessage() {
    assertThat(UserChecks.masked("PGPASSWORD=hunter2 and again hunter2", List.of("hunter2"))).isEqualTo("PGPASSWORD=**** and again ****");
  }
}
