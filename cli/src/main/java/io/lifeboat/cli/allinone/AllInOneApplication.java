package io.lifeboat.cli.allinone;

import io.lifeboat.catalog.CatalogConfiguration;
import io.lifeboat.stage.dump.DumpStageConfiguration;
import io.lifeboat.stage.seal.SealStageConfiguration;
import io.lifeboat.stage.upload.UploadStageConfiguration;
import io.lifeboat.stage.verify.VerifyStageConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Every stage, the catalog, the recovery executor, the recovery coordinator, the scheduler and the
 * notifier in one Spring context: the same configurations each stage's own application imports,
 * sharing one Kafka client setup and repository access. Each stage keeps its own consumer group, so
 * a stage can later move to its own service without losing its place.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  DumpStageConfiguration.class,
  SealStageConfiguration.class,
  UploadStageConfiguration.class,
  VerifyStageConfiguration.class,
  CatalogConfiguration.class,
  io.lifeboat.recovery.executor.RecoveryExecutorConfiguration.class,
  io.lifeboat.recovery.CoordinatorConfiguration.class,
  io.lifeboat.scheduler.SchedulerConfiguration.class,
  io.lifeboat.notifier.NotifierConfiguration.class
})
public class AllInOneApplication {}
