package io.lifeboat.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedTest {

  @Test
  void shortValuesWhole_longOnesCutWithTheirLength() {
    assertThat(Quoted.brief("nightly")).isEqualTo("'nightly'");
    String huge = "x".repeat(5_000_000);
    assertThat(Quoted.brief(huge)).hasSizeLessThan(120).endsWith("(5000000 characters)");
  }
}
