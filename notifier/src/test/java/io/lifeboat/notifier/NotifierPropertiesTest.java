package io.lifeboat.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The README configures a channel with environment variables only ({@code
 * LIFEBOAT_NOTIFY_CHANNELS_OPS_TYPE=slack LIFEBOAT_NOTIFY_CHANNELS_OPS_URL=...}): they bind the way
 * Spring binds the environment, into a channel the notifier builds.
 */
class NotifierPropertiesTest {

  static NotifierProperties bind(Map<String, Object> environment) {
    StandardEnvironment env = new StandardEnvironment();
    // named as the real one is: Spring maps FOO_BAR_BAZ names only for the system environment
    env.getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
    return Binder.get(env).bindOrCreate("lifeboat.notify", NotifierProperties.class);
  }

  @Test
  void aChannelFromEnvironmentVariablesAlone_isBuilt_withTheDefaults() {
    NotifierProperties p =
        bind(
            Map.of(
                "LIFEBOAT_NOTIFY_CHANNELS_OPS_TYPE", "slack",
                "LIFEBOAT_NOTIFY_CHANNELS_OPS_URL", "https://hooks.example.org/services/T/B/x",
                "LIFEBOAT_NOTIFY_RULES_0_EVENTS", "backup.failed,recovery.*",
                "LIFEBOAT_NOTIFY_RULES_0_CHANNELS", "ops"));
    assertThat(p.channels()).containsOnlyKeys("ops");
    assertThat(p.channels().get("ops").type()).isEqualTo("slack");
    assertThat(p.rules()).hasSize(1);
    assertThat(p.rules().get(0).events()).containsExactly("backup.failed", "recovery.*");
    assertThat(p.throttle()).isEqualTo(Duration.ofMinutes(15));
    assertThat(p.attempts()).isEqualTo(5);
    List<Channel> channels = Channels.of(p.channels());
    assertThat(channels).singleElement().isInstanceOf(WebhookChannel.class);
    assertThat(channels.get(0).name()).isEqualTo("ops");
  }

  @Test
  void withoutAnyChannel_theNotifierHasNothingToDo() {
    NotifierProperties p = bind(Map.of("LIFEBOAT_NOTIFY_THROTTLE", "5m"));
    assertThat(p.channels()).isEmpty();
    assertThat(p.throttle()).isEqualTo(Duration.ofMinutes(5));
  }
}
