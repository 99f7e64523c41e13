package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

  @Test
  void await_returnsTheFirstValueThatSatisfiesTheCondition_retryingExceptions() {
    AtomicInteger calls = new AtomicInteger();

    int value =
        Eventually.await(
            "the counter to reach 3",
            Duration.ofSeconds(30),
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IOException("not listening yet");
              }
              return calls.get();
            },
            n -> n >= 3);

    assertThat(value).isEqualTo(3);
  }

  @Test
  void await_onTimeout_saysWhatItWaitedFor_andWhatItSawLast() {
    assertThatThrownBy(
            () ->
                Eventually.await(
                    "the answer to be 42", Duration.ofMillis(300), () -> 41, n -> n == 42))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the answer to be 42")
        .hasMessageContaining("last seen: 41");
    assertThatThrownBy(
            () ->
                Eventually.until(
                    "a server",
                    Duration.ofMillis(300),
                    () -> {
                      throw new IOException("connection refused");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("a server")
        .hasMessageContaining("IOException: connection refused");
  }

  @Test
  void until_failsAtOnce_whenTheProbeThrowsAnError() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Eventually.until(
                    "a process that died",
                    Duration.ofMinutes(5),
                    () -> {
                      calls.incrementAndGet();
                      throw new AssertionError("exited with 1");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exited with 1");
    assertThat(calls).hasValue(1);
  }
}
