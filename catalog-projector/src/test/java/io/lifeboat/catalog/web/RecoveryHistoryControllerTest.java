package io.lifeboat.catalog.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.catalog.topology.CatalogTopology;
import io.lifeboat.events.Envelope;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepStatus;
import io.lifeboat.events.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The recovery history API over the real topology: records piped in, queried through the store. */
class RecoveryHistoryControllerTest {

  TopologyTestDriver driver;
  KafkaStreams streams;
  MockMvc mvc;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalog-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(CatalogTopology.build(), p);
    streams = mock(KafkaStreams.class);
    when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
    when(streams.store(any()))
        .thenAnswer(
            i -> driver.getKeyValueStore(((StoreQueryParameters<?>) i.getArgument(0)).storeName()));
    mvc =
        MockMvcBuilders.standaloneSetup(
                new RecoveryHistoryController(new CatalogQueryService(() -> streams)))
            .setControllerAdvice(new CatalogApiErrors())
            .build();

    TestInputTopic<String, RecoveryExecution> in =
        driver.createInputTopic(
            Topics.RECOVERY_EXECUTIONS.name(),
            new StringSerializer(),
            EventSerde.of(Topics.RECOVERY_EXECUTIONS).serializer());
    RecoveryExecution test =
        execution(
            "r-1", "orders", RecoveryMode.TEST, RecoveryStatus.RUNNING, "2026-11-20T03:00:00Z");
    in.pipeInput("r-1", test);
    test =
        RecoveryExecution.newBuilder(test)
            .setEnvelope(new Envelope("e-r-1b", Instant.parse("2026-11-20T03:10:00Z"), "r-1"))
            .setStatus(RecoveryStatus.SUCCEEDED)
            .setCompletedAt(Instant.parse("2026-11-20T03:10:00Z"))
            .setRtoMs(540_000)
            .setObjectiveRtoMs(300_000)
            .build();
    in.pipeInput("r-1", test);
    in.pipeInput(
        "r-2",
        execution(
            "r-2", "orders", RecoveryMode.EXECUTE, RecoveryStatus.FAILED, "2026-11-22T03:00:00Z"));
    in.pipeInput(
        "r-3",
        execution(
            "r-3", "billing", RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, "2026-11-24T03:00:00Z"));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  static RecoveryExecution execution(
      String id, String plan, RecoveryMode mode, RecoveryStatus status, String requestedAt) {
    Instant at = Instant.parse(requestedAt);
    return RecoveryExecution.newBuilder()
        .setEnvelope(new Envelope("e-" + id, at, id))
        .setExecutionId(id)
        .setPlanName(plan)
        .setEnvironment("prod")
        .setMode(mode)
        .setStatus(status)
        .setPlan("{\"name\":\"" + plan + "\",\"secretish\":true}")
        .setRequestedAt(at)
        .setRtoMs(60_000)
        .setObjectiveRtoMs(300_000)
        .setNextCommand(7)
        .setInFlightCommand(id + "-c6")
        .setInFlightSince(at)
        .setSteps(
            List.of(
                RecoveryStep.newBuilder()
                    .setStepId("restore:db")
                    .setComponent("db")
                    .setDescription("restore db")
                    .setDependsOn(List.of("prepare"))
                    .setStatus(StepStatus.SUCCEEDED)
                    .setStartedAt(at)
                    .setDurationMs(42_000)
                    .setEstimateMs(40_000)
                    .setBytes(1_000_000)
                    .setSpec(
                        RestoreStepSpec.newBuilder()
                            .setComponent("db")
                            .setKind("postgres")
                            .setBackupId("b-1")
                            .setTarget("postgres://db")
                            .build())
                    .build()))
        .build();
  }

  @Test
  void list_newestFirst_andFilters() throws Exception {
    mvc.perform(get("/api/recoveries"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(3))
        .andExpect(jsonPath("$[0].executionId").value("r-3"))
        .andExpect(jsonPath("$[1].executionId").value("r-2"))
        .andExpect(jsonPath("$[2].executionId").value("r-1"));
    mvc.perform(get("/api/recoveries?plan=orders"))
        .andExpect(jsonPath("$.length()").value(2))
        .andExpect(jsonPath("$[0].executionId").value("r-2"));
    mvc.perform(get("/api/recoveries?mode=test&status=succeeded"))
        .andExpect(jsonPath("$.length()").value(2))
        .andExpect(jsonPath("$[0].executionId").value("r-3"))
        .andExpect(jsonPath("$[1].executionId").value("r-1"));
    mvc.perform(get("/api/recoveries?status=FAILED"))
        .andExpect(jsonPath("$.length()").value(1))
        .andExpect(jsonPath("$[0].executionId").value("r-2"));
    mvc.perform(get("/api/recoveries?from=2026-11-21&to=2026-11-24T03:00:00Z"))
        .andExpect(jsonPath("$.length()").value(1))
        .andExpect(jsonPath("$[0].executionId").value("r-2"));
    mvc.perform(get("/api/recoveries?limit=1"))
        .andExpect(jsonPath("$.length()").value(1))
        .andExpect(jsonPath("$[0].executionId").value("r-3"));
  }

  @Test
  void get_showsTheLatestState_rto_andNoInternals() throws Exception {
    mvc.perform(get("/api/recoveries/r-1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.executionId").value("r-1"))
        .andExpect(jsonPath("$.planName").value("orders"))
        .andExpect(jsonPath("$.environment").value("prod"))
        .andExpect(jsonPath("$.mode").value("TEST"))
        .andExpect(jsonPath("$.status").value("SUCCEEDED"))
        .andExpect(jsonPath("$.rtoMs").value(540_000))
        .andExpect(jsonPath("$.objectiveRtoMs").value(300_000))
        .andExpect(jsonPath("$.rtoBreached").value(true))
        .andExpect(jsonPath("$.rolledBack").value(false))
        .andExpect(jsonPath("$.completedAt").exists())
        .andExpect(jsonPath("$.steps[0].stepId").value("restore:db"))
        .andExpect(jsonPath("$.steps[0].component").value("db"))
        .andExpect(jsonPath("$.steps[0].dependsOn[0]").value("prepare"))
        .andExpect(jsonPath("$.steps[0].status").value("SUCCEEDED"))
        .andExpect(jsonPath("$.steps[0].durationMs").value(42_000))
        .andExpect(jsonPath("$.steps[0].bytes").value(1_000_000))
        .andExpect(jsonPath("$.steps[0].parameters").doesNotExist())
        .andExpect(jsonPath("$.steps[0].outputs").doesNotExist())
        .andExpect(jsonPath("$.steps[0].compensable").doesNotExist())
        .andExpect(jsonPath("$.plan").doesNotExist())
        .andExpect(jsonPath("$.nextCommand").doesNotExist())
        .andExpect(jsonPath("$.inFlightCommand").doesNotExist())
        .andExpect(jsonPath("$.inFlightSince").doesNotExist())
        .andExpect(jsonPath("$.rollbackRequested").doesNotExist())
        .andExpect(jsonPath("$.envelope").doesNotExist());
    mvc.perform(get("/api/recoveries/r-3")).andExpect(jsonPath("$.rtoBreached").value(false));
  }

  @Test
  void unknownExecution_is404() throws Exception {
    mvc.perform(get("/api/recoveries/nope"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.error").value("no recovery nope"));
  }

  @Test
  void malformedFilter_is400() throws Exception {
    mvc.perform(get("/api/recoveries?mode=restore"))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.error")
                .value("mode must be one of [EXECUTE, TEST, VALIDATE, ROLLBACK], got 'restore'"));
    mvc.perform(get("/api/recoveries?status=done")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/recoveries?from=yesterday")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/recoveries?to=2026-13-01")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/recoveries?limit=0")).andExpect(status().isBadRequest());
  }

  @Test
  void storeNotReady_is503WithRetryAfter() throws Exception {
    MockMvc notStarted =
        MockMvcBuilders.standaloneSetup(
                new RecoveryHistoryController(new CatalogQueryService(() -> null)))
            .setControllerAdvice(new CatalogApiErrors())
            .build();
    notStarted
        .perform(get("/api/recoveries"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "2"))
        .andExpect(jsonPath("$.error").value("catalog is not started"));
    notStarted.perform(get("/api/recoveries/r-1")).andExpect(status().isServiceUnavailable());

    when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
    mvc.perform(get("/api/recoveries/r-1"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.error").value("catalog is rebalancing"));
  }
}
