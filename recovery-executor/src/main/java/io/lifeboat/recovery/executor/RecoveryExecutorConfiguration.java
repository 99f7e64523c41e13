package io.lifeboat.recovery.executor;

import io.lifeboat.core.crypto.SecretFiles;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.lifeboat.stage.storage.RepositoryAccess;
import io.lifeboat.stage.storage.RepositoryConfiguration;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The recovery step executor in the dump stage (it has the providers, the tools and the key). Off
 * with {@code lifeboat.recovery.executor.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "lifeboat.recovery.executor.enabled",
    havingValue = "true",
    matchIfMissing = true)
@Import({StageCommonConfiguration.class, RepositoryConfiguration.class})
@EnableConfigurationProperties(RecoveryExecutorProperties.class)
public class RecoveryExecutorConfiguration {

  public static final String GROUP = "lifeboat-recovery-executor";

  @Bean(destroyMethod = "close")
  RecoveryStepExecutor recoveryStepExecutor(
      RepositoryAccess access, RecoveryExecutorProperties properties, LifeboatProperties lifeboat) {
    Path scratch =
        Path.of(
            properties.scratchDir() != null
                ? properties.scratchDir()
                : lifeboat.home() + "/scratch");
    Path journal =
        Path.of(
            properties.journalDir() != null
                ? properties.journalDir()
                : lifeboat.home() + "/recovery-journal");
    return new RecoveryStepExecutor(
        access::readRepository,
        access::takeReadNotices,
        ProviderRegistry.standard(),
        scratch,
        journal,
        properties.parallelism(),
        properties.commandPolicy());
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> recoveryExecutorContainer(
      StageKafka sharedKafka,
      RecoveryStepExecutor executor,
      RecoveryExecutorProperties properties,
      LifeboatProperties lifeboat)
      throws java.io.IOException {
    StageKafka kafka = sharedKafka.as(Principals.EXECUTOR);
    Path keyFile =
        Path.of(
            properties.commandKeyFile() != null
                ? properties.commandKeyFile()
                : lifeboat.home() + "/recovery-command.key");
    if (!java.nio.file.Files.exists(keyFile)) {
      throw new IllegalStateException(
          "no recovery command key at "
              + keyFile
              + ": the executor runs only step commands the"
              + " coordinator signed with it; `lifeboat init` makes it (set lifeboat.recovery.executor.command-key-file)");
    }
    RecoveryCommandListener listener =
        new RecoveryCommandListener(executor, kafka.template(GROUP), properties.maxCommandAge());
    // a command without the coordinator's signature is dead-lettered and alerted on, never run
    return kafka.recordContainer(
        Topics.RECOVERY_COMMANDS,
        GROUP,
        1,
        1,
        java.time.Duration.ofHours(properties.maxStepHours()),
        listener,
        SecretFiles.readKey(keyFile));
  }
}
