package io.lifeboat.scheduler;

import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The scheduler's Streams app. Off with {@code lifeboat.scheduler.enabled=false} (then another
 * process schedules; several may run: each schedule belongs to one of them at a time).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "lifeboat.scheduler.enabled",
    havingValue = "true",
    matchIfMissing = true)
@Import(StageCommonConfiguration.class)
@EnableConfigurationProperties(SchedulerProperties.class)
public class SchedulerConfiguration {

  @Bean
  SchedulerStreams schedulerStreams(
      KafkaClients sharedClients,
      SchedulerProperties properties,
      LifeboatProperties lifeboat,
      io.lifeboat.stage.common.StageKafka sharedKafka,
      org.springframework.core.env.Environment env) {
    KafkaClients clients = sharedClients.as(Principals.SCHEDULER);
    String dir = properties.stateDir() != null ? properties.stateDir() : lifeboat.home() + "/state";
    // schedules are an admin's (roles mode); what it fires it signs as the scheduler, an operator
    var guard =
        io.lifeboat.stage.common.auth.KafkaRequestGuard.from(
            env,
            io.lifeboat.stage.common.auth.AuditSink.kafka(
                sharedKafka.as(Principals.SCHEDULER).template("lifeboat-scheduler-audit")),
            "scheduler");
    var identity =
        io.lifeboat.stage.common.auth.IdentityKeys.loadOrCreate(
            java.nio.file.Path.of(env.getProperty("lifeboat.auth.identity-dir", lifeboat.home())),
            io.lifeboat.stage.common.auth.IdentityKeys.SCHEDULER);
    return new SchedulerStreams(clients, properties, dir, guard, identity);
  }
}
