package io.lifeboat.stage.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class KafkaConnectionWarningsTest {

  final LoggerContext context = new LoggerContext();
  final Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
  final Logger other = context.getLogger("io.lifeboat.stage.upload.UploadListener");

  @Test
  void letsOneConnectionWarningThroughPerInterval_andNothingElseIsTouched() {
    KafkaConnectionWarnings filter = new KafkaConnectionWarnings();
    filter.setIntervalMillis(3_600_000);

    assertThat(decide(filter, network, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
    for (int i = 0; i < 100; i++) {
      assertThat(decide(filter, network, Level.WARN)).isEqualTo(FilterReply.DENY);
    }
    assertThat(decide(filter, network, Level.ERROR)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(filter, other, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void aNewIntervalLetsTheNextOneThrough() {
    KafkaConnectionWarnings filter = new KafkaConnectionWarnings();
    filter.setIntervalMillis(0);

    assertThat(decide(filter, network, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(filter, network, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
  }

  static FilterReply decide(KafkaConnectionWarnings f, Logger logger, Level level) {
    return f.decide(
        null, logger, level, "Connection to node {} could not be established.", null, null);
  }
}
