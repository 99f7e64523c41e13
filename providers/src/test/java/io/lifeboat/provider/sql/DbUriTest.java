package io.lifeboat.provider.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.provider.InvalidSourceException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DbUriTest {

  static DbUri parse(String spec) throws InvalidSourceException {
    return DbUri.parse(spec, Set.of("postgres"), 5432, "postgres", null);
  }

  @Test
  void aDatabaseName_cannotSmuggleJdbcParametersOrAConnectionString() {
    for (String evil :
        List.of(
            "postgres://u@h/shop%3FsocketFactory=x",
            "postgres://u@h/dbname%3Devil%20host%3Dattacker",
            "postgres://u@h/a%26b",
            "postgres://u@h/a%2Fb",
            "postgres://u@h/a%20b")) {
      assertThatThrownBy(() -> parse(evil))
          .as(evil)
          .isInstanceOf(InvalidSourceException.class)
          .hasMessageContaining("database name may hold letters, digits");
    }
  }

  @Test
  void ordinaryNames_areAccepted() throws Exception {
    assertThat(parse("postgres://app@db.internal:5433/shop_2026").database())
        .isEqualTo("shop_2026");
    assertThat(parse("postgres://app@db/lbrec_1a2b-src").database()).isEqualTo("lbrec_1a2b-src");
  }
}
