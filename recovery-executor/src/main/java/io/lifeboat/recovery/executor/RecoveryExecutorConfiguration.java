package io.lifeboat.recovery.executor;

import io.lifeboat.core.crypto.SecretFiles;
import io.lifeboat.core.policy.RealPaths;
import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.CheckLogin;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.events.AuditEvent;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.LifeboatProperties;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.stage.common.StageCommonConfiguration;
import io.lifeboat.stage.common.StageKafka;
import io.lifeboat.stage.common.auth.AuditSink;
import io.lifeboat.stage.common.auth.ProductionTargets;
import io.lifeboat.stage.storage.OwnFiles;
import io.lifeboat.stage.storage.RepositoryAccess;
import io.lifeboat.stage.storage.RepositoryConfiguration;
import io.lifeboat.stage.storage.RepositoryProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
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
@EnableConfigurationProperties({RecoveryExecutorProperties.class, RecoveryTargetProperties.class})
public class RecoveryExecutorConfiguration {

  public static final String GROUP = "lifeboat-recovery-executor";

  /** The executor's producer: step results, progress, and the audit events of refused targets. */
  record ExecutorKafka(StageKafka kafka, KafkaTemplate<Object, Object> template) {}

  @Bean(destroyMethod = "")
  ExecutorKafka executorKafka(StageKafka sharedKafka) {
    StageKafka kafka = sharedKafka.as(Principals.EXECUTOR);
    return new ExecutorKafka(kafka, kafka.template(GROUP));
  }

  @Bean(destroyMethod = "close")
  RecoveryStepExecutor recoveryStepExecutor(
      RepositoryAccess access,
      RecoveryExecutorProperties properties,
      RecoveryTargetProperties targets,
      RepositoryProperties repository,
      LifeboatProperties lifeboat,
      ExecutorKafka kafka,
      Environment env)
      throws IOException {
    Path scratch = scratchDir(properties, lifeboat);
    Path journal =
        Path.of(
            properties.journalDir() != null
                ? properties.journalDir()
                : lifeboat.home() + "/recovery-journal");
    String password =
        properties.sqlCheckPasswordFile() == null
            ? null
            : Files.readString(Path.of(properties.sqlCheckPasswordFile()), StandardCharsets.UTF_8)
                .strip();
    ExecutorPolicy policy =
        new ExecutorPolicy(
            targetPolicy(targets, properties, repository, lifeboat, env),
            properties.commandPolicy(),
            new CheckLogin(properties.sqlCheckUser(), password),
            Set.copyOf(properties.checkHosts()),
            refusalsToAudit(AuditSink.kafka(kafka.template())));
    return new RecoveryStepExecutor(
        access::readRepository,
        access::takeReadNotices,
        ProviderRegistry.standard(),
        scratch,
        journal,
        properties.parallelism(),
        policy);
  }

  private static Path scratchDir(
      RecoveryExecutorProperties properties, LifeboatProperties lifeboat) {
    return Path.of(
        properties.scratchDir() != null ? properties.scratchDir() : lifeboat.home() + "/scratch");
  }

  /**
   * Where this executor may restore: under the target roots (or into the folder a backup came
   * from), never into Lifeboat's own files ({@link OwnFiles}) or the system's virtual folders;
   * database targets on the host a backup came from or one the dump stage may reach, with password
   * files only from the passwords folder.
   */
  static TargetPolicy targetPolicy(
      RecoveryTargetProperties targets,
      RecoveryExecutorProperties properties,
      RepositoryProperties repository,
      LifeboatProperties lifeboat,
      Environment env) {
    Binder binder = Binder.get(env);
    List<Path> denied = new ArrayList<>(OwnFiles.of(lifeboat.home(), env, repository.locations()));
    denied.addAll(TargetPolicy.SYSTEM_FOLDERS);
    denied.add(scratchDir(properties, lifeboat)); // its own scratch targets lie inside
    Set<String> hosts =
        new HashSet<>(
            binder
                .bind("lifeboat.stage.dump.database-hosts", Bindable.listOf(String.class))
                .orElse(List.of()));
    String passwords =
        binder
            .bind("lifeboat.stage.dump.password-file-dir", String.class)
            .orElse(lifeboat.home() + "/passwords");
    return new TargetPolicy(
        targets.targetRoots().stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .toList(),
        denied,
        new TargetPolicy.DatabaseRule(hosts, Path.of(passwords)),
        new TargetPolicy.Production(
            ProductionTargets.from(env),
            ProductionTargets.from(env).withRealFolders(RealPaths::real)),
        scratchDir(properties, lifeboat));
  }

  /** A refused target as an audit event (service recovery-executor, outcome REFUSED). */
  static ExecutorPolicy.Refusals refusalsToAudit(AuditSink audit) {
    return (executionId, requestedBy, component, target, reasons) ->
        audit.record(
            AuditEvent.newBuilder()
                .setEnvelope(Envelopes.next(executionId))
                .setAction("restore.target")
                .setTarget(executionId)
                .setOutcome("REFUSED")
                .setActor(requestedBy)
                .setService("recovery-executor")
                .setReason(String.join("; ", reasons))
                .setDetails(Map.of("component", component, "target", target))
                .build());
  }

  @Bean
  ConcurrentMessageListenerContainer<String, ?> recoveryExecutorContainer(
      ExecutorKafka kafka,
      RecoveryStepExecutor executor,
      RecoveryExecutorProperties properties,
      LifeboatProperties lifeboat)
      throws IOException {
    Path keyFile =
        Path.of(
            properties.commandKeyFile() != null
                ? properties.commandKeyFile()
                : lifeboat.home() + "/recovery-command.key");
    if (!Files.exists(keyFile)) {
      throw new IllegalStateException(
          "no recovery command key at "
              + keyFile
              + ": the executor runs only step commands the"
              + " coordinator signed with it; `lifeboat init` makes it (set lifeboat.recovery.executor.command-key-file)");
    }
    RecoveryCommandListener listener =
        new RecoveryCommandListener(executor, kafka.template(), properties.maxCommandAge());
    // a command without the coordinator's signature is dead-lettered and alerted on, never run
    return kafka
        .kafka()
        .recordContainer(
            Topics.RECOVERY_COMMANDS,
            GROUP,
            1,
            1,
            java.time.Duration.ofHours(properties.maxStepHours()),
            listener,
            SecretFiles.readKey(keyFile));
  }
}
