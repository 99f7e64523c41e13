package io.lifeboat.recovery.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class InlinePlansTest {

  final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
  final String plan = "{\"name\":\"restore-b1\",\"backup\":\"b1\"}";

  @Test
  void aPlanSignedByTheCoordinator_isAccepted_forItsOwnExecutionOnly() {
    ByteBuffer signature = InlinePlans.sign(key, "r-1", plan);
    assertThat(InlinePlans.signedBy(key, "r-1", plan, signature)).isTrue();
    assertThat(InlinePlans.signedBy(key, "r-2", plan, signature)).as("replayed").isFalse();
    assertThat(InlinePlans.signedBy(key, "r-1", plan.replace("b1\"}", "b2\"}"), signature))
        .as("changed")
        .isFalse();
    assertThat(
            InlinePlans.signedBy(
                "another key, 32 bytes long......".getBytes(), "r-1", plan, signature))
        .isFalse();
    assertThat(InlinePlans.signedBy(key, "r-1", plan, null)).isFalse();
  }
}
