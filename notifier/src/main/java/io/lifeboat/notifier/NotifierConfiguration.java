package io.lifeboat.notifier;

import io.lifeboat.events.Alert;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Severity;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The notifier's beans: its channels and rules ({@code lifeboat.notify.*}), the dispatcher, and
 * consumers of the request, alert, completion, rejection and recovery-execution topics (only when a
 * channel exists).
 */
@Configuration(proxyBeanMethods = false)
@Import(StageCommonConfiguration.class)
@EnableConfigurationProperties(NotifierProperties.class)
public class NotifierConfiguration {

  @Bean
  Dispatcher lifeboatNotificationDispatcher(
      NotifierProperties properties, StageKafka sharedKafka, ObjectProvider<MeterRegistry> meters) {
    KafkaTemplate<Object, Object> alerts =
        sharedKafka.as(Principals.NOTIFIER).template(properties.groupId());
    List<NotifyRule> rules = new ArrayList<>();
    properties.rules().forEach(r -> rules.add(new NotifyRule(r.events(), r.channels())));
    return new Dispatcher(
        Channels.of(properties.channels()),
        rules,
        properties.throttle(),
        new Dispatcher.Retry(properties.attempts(), properties.backoff(), Duration.ofMinutes(5)),
        failure ->
            alerts.send(Topics.ALERTS.name(), failure.notification().subject(), alert(failure)),
        meters.getIfAvailable(SimpleMeterRegistry::new),
        Clock.systemUTC());
  }

  static Alert alert(Dispatcher.Failure f) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(f.notification().subject()))
        .setSeverity(Severity.WARNING)
        .setKind("notification.failed")
        .setSubject(f.notification().subject())
        .setMessage(
            "could not notify channel "
                + f.channel()
                + " of "
                + f.notification().kind()
                + " about "
                + f.notification().subject()
                + ": "
                + f.reason())
        .setLabels(Map.of("channel", f.channel(), "kind", f.notification().kind()))
        .build();
  }

  @Bean
  NotifierService lifeboatNotifier(
      NotifierProperties properties, StageKafka sharedKafka, Dispatcher dispatcher) {
    List<ConcurrentMessageListenerContainer<String, ?>> containers = new ArrayList<>();
    if (!properties.channels().isEmpty()) {
      StageKafka kafka = sharedKafka.as(Principals.NOTIFIER);
      Clock clock = Clock.systemUTC();
      String group = properties.groupId();
      BackupSubscriptions subscriptions = new BackupSubscriptions();
      containers.add(
          kafka.recordContainer(
              Topics.BACKUP_REQUESTS,
              group + "-requests",
              1,
              100,
              Duration.ofMinutes(5),
              new NotifierListener<>(dispatcher, subscriptions, properties.maxAge(), clock)));
      containers.add(
          kafka.recordContainer(
              Topics.ALERTS,
              group + "-alerts",
              1,
              100,
              Duration.ofMinutes(5),
              new NotifierListener<>(dispatcher, subscriptions, properties.maxAge(), clock)));
      containers.add(
          kafka.recordContainer(
              Topics.BACKUP_COMPLETIONS,
              group + "-completions",
              1,
              100,
              Duration.ofMinutes(5),
              new NotifierListener<>(dispatcher, subscriptions, properties.maxAge(), clock)));
      containers.add(
          kafka.recordContainer(
              Topics.BACKUP_REJECTIONS,
              group + "-rejections",
              1,
              100,
              Duration.ofMinutes(5),
              new NotifierListener<>(dispatcher, subscriptions, properties.maxAge(), clock)));
      containers.add(
          kafka.recordContainer(
              Topics.RECOVERY_EXECUTIONS,
              group + "-recoveries",
              1,
              100,
              Duration.ofMinutes(5),
              new NotifierListener<>(dispatcher, subscriptions, properties.maxAge(), clock)));
      containers.forEach(c -> c.setAutoStartup(false));
    }
    return new NotifierService(containers, dispatcher);
  }
}
