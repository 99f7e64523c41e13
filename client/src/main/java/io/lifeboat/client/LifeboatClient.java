package io.lifeboat.client;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.CatalogQuery;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.model.MetricsView;
import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.model.RecoveryPlanView;
import io.lifeboat.model.RecoveryView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The one entry point a Java service uses to work with Lifeboat: backups (the story's {@code
 * IBackupManager}) and recoveries ({@code IRecoveryManager}), plus schedules, cancellation and
 * metrics. Requests travel as Kafka events or through the HTTP API, whichever the operation uses;
 * results are typed. Every long operation has an {@code ...Async} twin returning a {@link
 * CompletableFuture}. Thread-safe; close it when done.
 *
 * <pre>{@code
 * try (LifeboatClient lifeboat =
 *     LifeboatClient.builder()
 *         .kafka("127.0.0.1:9092")
 *         .api("http://127.0.0.1:8080")
 *         .token(System.getenv("LIFEBOAT_API_TOKEN"))
 *         .build()) {
 *   BackupResult b =
 *       lifeboat.createBackup(
 *           BackupRequest.named("shop").component("db", "postgres://backup@db/shop").build(),
 *           Duration.ofMinutes(30));
 *   VerificationResult v = lifeboat.verifyBackup(b.backupId(), Duration.ofMinutes(30));
 *   RestoreResult r =
 *       lifeboat.restoreBackup(
 *           b.backupId(), RestoreOptions.to("postgres://restore@db/shop_copy"), Duration.ofHours(1));
 * }
 * }</pre>
 *
 * <p>Where each call goes: backup requests, cancellations, schedules and plan runs are Kafka events
 * (a Kafka principal allowed to send them is needed on a secured cluster); reads go to the catalog
 * API; verify, restore, plan deprecation and deletion go to the coordinator's API with the token.
 * With {@code lifeboat up} the catalog and the coordinator share one address.
 */
public final class LifeboatClient implements AutoCloseable {

  private static final Set<String> FINAL = Set.of("SUCCEEDED", "INVALID", "FAILED", "ROLLED_BACK");

  private final BackupManager backups;
  private final RecoveryManager recoveries;
  private final CatalogClient catalog;
  private final ApiClient api;
  private final ApiClient catalogApi;
  private final ExecutorService async;

  private LifeboatClient(Builder b) {
    if (b.bootstrapServers == null || b.apiUrl == null) {
      throw new IllegalArgumentException("give the client kafka(...) and api(...)");
    }
    this.backups = new BackupManager(b.bootstrapServers, b.kafkaProperties, b.masterKey);
    this.recoveries = new RecoveryManager(b.bootstrapServers, b.kafkaProperties);
    this.catalog = new CatalogClient(b.catalogUrl != null ? b.catalogUrl : b.apiUrl, b.token);
    this.api = new ApiClient(b.apiUrl, b.token);
    this.catalogApi = new ApiClient(b.catalogUrl != null ? b.catalogUrl : b.apiUrl, null);
    this.async =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "lifeboat-client");
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a {@link LifeboatClient}. */
  public static final class Builder {
    private @Nullable String bootstrapServers;
    private @Nullable String apiUrl;
    private @Nullable String catalogUrl;
    private @Nullable String token;
    private @Nullable MasterKey masterKey;
    private final Map<String, Object> kafkaProperties = new HashMap<>();

    private Builder() {}

    /** Kafka's bootstrap servers. */
    public Builder kafka(String bootstrap) {
      this.bootstrapServers = bootstrap;
      return this;
    }

    /** Extra Kafka client settings: the SASL/TLS settings of a secured cluster. */
    public Builder kafkaProperties(Map<String, Object> properties) {
      this.kafkaProperties.putAll(properties);
      return this;
    }

    /**
     * The coordinator's API (with {@code lifeboat up}: its API address, which is also the
     * catalog's).
     */
    public Builder api(String url) {
      this.apiUrl = url;
      return this;
    }

    /** The catalog's API, when it is not at the {@link #api} address. */
    public Builder catalog(String url) {
      this.catalogUrl = url;
      return this;
    }

    /** The API token, for calls that change something. */
    public Builder token(@Nullable String apiToken) {
      this.token = apiToken;
      return this;
    }

    /**
     * The repository's master key, only to seal passwords written in component URIs before they are
     * published; without it such a URI is refused (use {@code ?passwordFile=}).
     */
    public Builder masterKey(@Nullable MasterKey key) {
      this.masterKey = key;
      return this;
    }

    public LifeboatClient build() {
      return new LifeboatClient(this);
    }
  }

  // ---------------------------------------------------------------- backups (IBackupManager)

  /** Publishes a backup request and returns its id at once (follow it with {@link #getBackup}). */
  public String requestBackup(BackupRequest request) {
    return backups.request(request);
  }

  /** Backs up and waits for the outcome (a rejection is an outcome too: status REJECTED). */
  public BackupResult createBackup(BackupRequest request, Duration timeout) {
    return BackupResult.of(backups.requestAndWait(request, timeout, c -> {}));
  }

  public CompletableFuture<BackupResult> createBackupAsync(
      BackupRequest request, Duration timeout) {
    return supply(() -> createBackup(request, timeout));
  }

  /** Waits for a backup requested earlier. */
  public BackupResult awaitBackup(String backupId, Duration timeout) {
    return BackupResult.of(backups.await(backupId, timeout));
  }

  /** A backup as the catalog shows it, with its components, locations and last verification. */
  public Optional<BackupView> getBackup(String backupId) {
    return catalog.get(backupId);
  }

  /** Backups matching a query (name, status, component, labels, time range), newest first. */
  public List<BackupView> listBackups(CatalogQuery query) {
    return catalog.list(query);
  }

  /**
   * Has the verify stage read back and authenticate every chunk of a stored backup, and waits for
   * its answer. A damaged backup also raises a {@code backup.corrupted} alert.
   */
  public VerificationResult verifyBackup(String backupId, Duration timeout) {
    JsonNode accepted = api.post("/api/backups/" + ApiClient.encode(backupId) + "/verify", null);
    String verificationId = accepted.get("verificationId").asString();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<BackupView> b = catalog.get(backupId);
      if (b.isPresent()
          && b.get().lastVerification() != null
          && verificationId.equals(b.get().lastVerification().verificationId())) {
        BackupView.Verification v = b.get().lastVerification();
        return new VerificationResult(
            backupId,
            verificationId,
            v.ok(),
            v.chunksChecked(),
            v.bytesChecked(),
            v.durationMs(),
            v.problems());
      }
      ApiClient.sleep(300);
    }
    throw new LifeboatClientException(
        "verification "
            + verificationId
            + " of backup "
            + backupId
            + " did not answer within "
            + timeout,
        0,
        null);
  }

  public CompletableFuture<VerificationResult> verifyBackupAsync(
      String backupId, Duration timeout) {
    return supply(() -> verifyBackup(backupId, timeout));
  }

  /**
   * Restores one backup as a recovery execution (progress, health lines, rollback on failure) and
   * waits until it ends.
   */
  public RestoreResult restoreBackup(String backupId, RestoreOptions options, Duration timeout) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("to", options.to());
    body.put("targets", options.targets());
    body.put("ifExists", options.ifExists());
    body.put("mode", options.mode());
    body.put("rto", options.rto());
    JsonNode accepted = api.post("/api/backups/" + ApiClient.encode(backupId) + "/restore", body);
    String executionId = accepted.get("executionId").asString();
    return RestoreResult.of(backupId, awaitRecovery(executionId, timeout));
  }

  public CompletableFuture<RestoreResult> restoreBackupAsync(
      String backupId, RestoreOptions options, Duration timeout) {
    return supply(() -> restoreBackup(backupId, options, timeout));
  }

  /**
   * Deletes a stored backup (its manifest at every location; {@code lifeboat prune} then reclaims
   * the chunks only it used) and waits until the catalog shows it DELETED.
   */
  public void deleteBackup(String backupId, String reason, Duration timeout) {
    api.delete(
        "/api/backups/" + ApiClient.encode(backupId) + "?reason=" + ApiClient.encode(reason));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (catalog.get(backupId).map(b -> "DELETED".equals(b.status())).orElse(false)) {
        return;
      }
      ApiClient.sleep(300);
    }
    throw new LifeboatClientException(
        "backup " + backupId + " is not shown deleted within " + timeout + " (see the alerts)",
        0,
        null);
  }

  /** Stops a running backup: nothing is committed, it completes CANCELLED. */
  public void cancelBackup(String backupId, String reason) {
    backups.cancelBackup(backupId, reason);
  }

  /** Creates or replaces a schedule. */
  public void scheduleBackup(BackupSchedule schedule) {
    backups.scheduleBackup(schedule);
  }

  /** Every schedule, by name. */
  public SortedMap<String, ScheduleDefined> listSchedules() {
    return backups.schedules();
  }

  /** Deletes a schedule (its backups stay). */
  public void deleteSchedule(String name) {
    backups.deleteSchedule(name);
  }

  public MetricsView.BackupMetrics getBackupMetrics() {
    return catalog.getBackupMetrics();
  }

  public MetricsView.RestoreMetrics getRestoreMetrics() {
    return catalog.getRestoreMetrics();
  }

  public MetricsView.RecoveryMetrics getRecoveryMetrics() {
    return catalog.getRecoveryMetrics();
  }

  // ------------------------------------------------------------ recoveries (IRecoveryManager)

  /**
   * Creates or replaces a plan and waits until the coordinator has it (a new or changed plan is a
   * draft). @throws LifeboatClientException listing every problem of an ill-formed plan
   */
  public RecoveryPlanView createRecoveryPlan(RecoveryPlanSpec plan, Duration timeout) {
    recoveries.define(plan);
    String key = plan.toJson();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<RecoveryPlanView> seen = getRecoveryPlan(plan.name());
      if (seen.isPresent() && seen.get().definition().toJson().equals(key)) {
        return seen.get();
      }
      ApiClient.sleep(200);
    }
    throw new LifeboatClientException(
        "plan "
            + plan.name()
            + " was published, but the coordinator has not shown it within "
            + timeout,
        0,
        null);
  }

  /** Every plan, with its status (draft, validated, ready, deprecated) and last test. */
  public List<RecoveryPlanView> listRecoveryPlans() {
    return api.get("/api/plans", new TypeReference<List<RecoveryPlanView>>() {}).orElse(List.of());
  }

  public Optional<RecoveryPlanView> getRecoveryPlan(String name) {
    return listRecoveryPlans().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Deletes a plan (its past executions stay in the catalog). */
  public void deleteRecoveryPlan(String name) {
    api.delete("/api/plans/" + ApiClient.encode(name));
  }

  /** Retires a plan: it refuses to run unless forced. */
  public RecoveryPlanView deprecateRecoveryPlan(String name) {
    return ApiClient.JSON.convertValue(
        api.post("/api/plans/" + ApiClient.encode(name) + "/deprecate", null),
        RecoveryPlanView.class);
  }

  /** Brings a deprecated plan back into use. */
  public RecoveryPlanView activateRecoveryPlan(String name) {
    return ApiClient.JSON.convertValue(
        api.post("/api/plans/" + ApiClient.encode(name) + "/activate", null),
        RecoveryPlanView.class);
  }

  /** Checks that a plan could run now, changing nothing. */
  public ValidationResult validateRecoveryPlan(String name, Duration timeout) {
    return ValidationResult.of(run(name, RecoveryMode.VALIDATE, null, null, false, timeout));
  }

  public CompletableFuture<ValidationResult> validateRecoveryPlanAsync(
      String name, Duration timeout) {
    return supply(() -> validateRecoveryPlan(name, timeout));
  }

  /** Restores the plan into scratch targets, runs its checks, tears down, measures the RTO. */
  public TestResult testRecoveryPlan(String name, Duration timeout) {
    return TestResult.of(run(name, RecoveryMode.TEST, null, null, false, timeout));
  }

  public CompletableFuture<TestResult> testRecoveryPlanAsync(String name, Duration timeout) {
    return supply(() -> testRecoveryPlan(name, timeout));
  }

  /**
   * Runs a recovery: every component restored in order, the checks, everything rolled back if a
   * step fails.
   *
   * @param at point in time (the newest verified backup at or before it), or null
   * @param backupId every component from this backup, or null
   * @param force run the plan even if it is deprecated
   */
  public RecoveryView executeRecovery(
      String name,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      Duration timeout) {
    return run(name, RecoveryMode.EXECUTE, at, backupId, force, timeout);
  }

  public CompletableFuture<RecoveryView> executeRecoveryAsync(
      String name,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      Duration timeout) {
    return supply(() -> executeRecovery(name, at, backupId, force, timeout));
  }

  /** Undoes a finished recovery (or restore): puts back what it replaced. */
  public RecoveryView rollbackRecovery(String executionId, Duration timeout) {
    RecoveryExecution x =
        recoveries.rollback(executionId, timeout, new RecoveryManager.Listener() {});
    if (x == null) {
      throw new LifeboatClientException("no answer about execution " + executionId, 0, null);
    }
    if (x.getNotice() != null && !x.getNotice().startsWith("rollback requested")) {
      throw new LifeboatClientException(x.getNotice(), 409, null);
    }
    return RecoveryView.of(x);
  }

  public CompletableFuture<RecoveryView> rollbackRecoveryAsync(
      String executionId, Duration timeout) {
    return supply(() -> rollbackRecovery(executionId, timeout));
  }

  /**
   * Recovery executions from the catalog, newest first.
   *
   * @param plan only this plan, or null
   * @param mode only EXECUTE, TEST, VALIDATE or ROLLBACK, or null
   * @param status only this status, or null
   * @param limit at most this many
   */
  public List<RecoveryView> listRecoveries(
      @Nullable String plan, @Nullable String mode, @Nullable String status, int limit) {
    StringBuilder q = new StringBuilder("/api/recoveries?limit=").append(limit);
    if (plan != null) {
      q.append("&plan=").append(ApiClient.encode(plan));
    }
    if (mode != null) {
      q.append("&mode=").append(ApiClient.encode(mode));
    }
    if (status != null) {
      q.append("&status=").append(ApiClient.encode(status));
    }
    return catalogApi
        .get(q.toString(), new TypeReference<List<RecoveryView>>() {})
        .orElse(List.of());
  }

  /** One execution as the catalog shows it. */
  public Optional<RecoveryView> getRecovery(String executionId) {
    return catalogApi.get(
        "/api/recoveries/" + ApiClient.encode(executionId), new TypeReference<RecoveryView>() {});
  }

  /** Waits until an execution ends, as the catalog shows it. */
  public RecoveryView awaitRecovery(String executionId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RecoveryView last = null;
    while (System.nanoTime() < deadline) {
      Optional<RecoveryView> x = getRecovery(executionId);
      if (x.isPresent()) {
        last = x.get();
        if (FINAL.contains(last.status())) {
          return last;
        }
      }
      ApiClient.sleep(300);
    }
    if (last != null) {
      return last;
    }
    throw new LifeboatClientException(
        "recovery execution " + executionId + " was not seen within " + timeout, 0, null);
  }

  private RecoveryView run(
      String name,
      RecoveryMode mode,
      @Nullable Instant at,
      @Nullable String backupId,
      boolean force,
      Duration timeout) {
    RecoveryExecution x =
        recoveries.run(name, mode, at, backupId, force, timeout, new RecoveryManager.Listener() {});
    if (x == null) {
      throw new LifeboatClientException(
          "no answer from the recovery coordinator within " + timeout, 0, null);
    }
    return RecoveryView.of(x);
  }

  private <T> CompletableFuture<T> supply(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, async);
  }

  @Override
  public void close() {
    async.shutdownNow();
    backups.close();
    recoveries.close();
  }
}
