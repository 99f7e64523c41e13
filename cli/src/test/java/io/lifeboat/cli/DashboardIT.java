package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser (Debian's Chromium, headless, through its WebDriver), served by a
 * running {@code lifeboat up}: the overview shows each backup name's recovery point, the backup
 * list filters by name and status, a backup's page shows its manifest checksum and components, and
 * a recovery test started from the plans page asks for the API token (a wrong one is asked again)
 * and is followed live to its end with its measured RTO. The screenshots it takes are the ones in
 * docs/images/ (run with {@code -Dlifeboat.screenshots=../docs/images} to refresh them).
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class DashboardIT {

  static final String RUN = "lbweb_" + UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static RunningLifeboat up;
  static String api;
  static String token;
  static JsonNode app;
  static Path uiSource;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    up = RunningLifeboat.start(RUN, Map.of("lifeboat.recovery.executor.command-checks", "true"));
    api = up.api;
    token = up.token();

    Path sources = Files.createTempDirectory("lifeboat-dashboard-src");
    Path conf = Files.createDirectories(sources.resolve("app/conf"));
    for (int i = 0; i < 8; i++) {
      Files.writeString(
          conf.resolve("service-" + i + ".yaml"), ("port: " + (8000 + i) + "\n").repeat(400));
    }
    uiSource = Files.createDirectories(sources.resolve("ui"));
    Files.writeString(uiSource.resolve("index.html"), "<h1>shop</h1>\n".repeat(100));
    Path logs = Files.createDirectories(sources.resolve("logs"));
    Files.writeString(logs.resolve("app.log"), "GET /health 200\n".repeat(20_000));
    app =
        json(
            "backup",
            "config:" + conf,
            "--name",
            "web-" + RUN,
            "--label",
            "env=demo",
            "--wait",
            "--json");
    json("backup", "logs:" + logs, "--name", "logs-" + RUN, "--wait", "--json");
    Cli.run(cli("backup", "redis://127.0.0.1:1", "--name", "bad-" + RUN, "--wait", "--json"));
    Path plan = up.home.resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        name: web-%s
        from: web-%s
        rto: 5m
        components:
          - name: config
            target: %s
        checks:
          - name: config-present
            command: test -s "$LIFEBOAT_TARGET_CONFIG/service-0.yaml"
        """
            .formatted(
                RUN, RUN, Files.createTempDirectory("lifeboat-restore").resolve("restored")));
    assertThat(Cli.run(cli("plan", "create", plan.toString())).exit()).isZero();

    browser = HeadlessChromium.start();
    wait = waiting(Duration.ofSeconds(60));
  }

  /** A wait whose timeout says what the browser showed: the page, and where it was. */
  static WebDriverWait waiting(Duration patience) {
    return new WebDriverWait(browser, patience) {
      @Override
      protected RuntimeException timeoutException(String message, Throwable last) {
        String page = browser.findElement(By.tagName("body")).getText();
        return super.timeoutException(
            message + "\nat " + browser.getCurrentUrl() + "\npage text:\n" + page, last);
      }
    };
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (up != null) {
      up.close();
    }
  }

  static String[] cli(String... args) {
    return up.cli(args);
  }

  static JsonNode json(String... args) {
    Cli.Result r = Cli.run(cli(args));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return JSON.readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
  }

  static void open(String hash) {
    browser.get(api + "/#" + hash);
  }

  /** Rows of a table whose first cell is shown, once the page has them. */
  static List<WebElement> rows(String tableId) {
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + tableId + " tbody tr")));
    return browser.findElements(By.cssSelector("#" + tableId + " tbody tr"));
  }

  static void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    String docs = System.getProperty("lifeboat.screenshots");
    if (docs != null && !docs.isBlank()) {
      Files.copy(
          shot,
          Files.createDirectories(Path.of(docs)).resolve(name),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void theOverview_showsEachNamesRecoveryPoint() throws Exception {
    open("/");
    WebElement row =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#rpo-table tr[data-name='web-" + RUN + "']")));
    assertThat(row.getText()).contains("web-" + RUN).contains("SUCCESS");
    assertThat(
            browser
                .findElement(By.cssSelector("#rpo-table tr[data-name='bad-" + RUN + "']"))
                .getText())
        .contains("REJECTED");
    screenshot("dashboard-overview.png");
  }

  @Test
  void theBackupList_filtersByNameAndStatus_andOpensABackup() throws Exception {
    open("/backups");
    rows("backup-table");
    WebElement name = browser.findElement(By.cssSelector("#filters input[name=name]"));
    name.sendKeys("logs-" + RUN);
    browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("name=logs-" + RUN));
    wait.until(
        d -> rows("backup-table").stream().allMatch(r -> r.getText().contains("logs-" + RUN)));
    assertThat(rows("backup-table")).hasSize(1);

    open("/backups?status=REJECTED&name=bad-" + RUN);
    wait.until(
        d ->
            rows("backup-table").size() == 1
                && rows("backup-table").get(0).getText().contains("REJECTED"));

    open("/backups?label=env%3Ddemo&name=web-" + RUN);
    wait.until(
        d ->
            rows("backup-table").size() == 1
                && rows("backup-table").get(0).getText().contains("web-" + RUN));
    screenshot("dashboard-backups.png");
    rows("backup-table").get(0).findElement(By.tagName("a")).click();
    WebElement checksum =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("manifest-checksum")));
    assertThat(checksum.getText()).isEqualTo(app.get("manifestChecksum").asString());
    assertThat(browser.findElement(By.id("backup-details")).getText())
        .contains("env=demo")
        .contains("web-" + RUN);
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("config");
    screenshot("dashboard-backup.png");
  }

  @Test
  void
      aRecoveryTestStartedFromThePlansPage_asksForTheToken_isFollowedToItsEnd_andMakesThePlanReady()
          throws Exception {
    open("/plans");
    WebElement test =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-plan='web-" + RUN + "'] button[data-action=test]")));
    browser.executeScript("sessionStorage.clear()");
    test.click();
    // a wrong token is refused, and asked again
    WebElement input =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    input.sendKeys("not-the-token");
    browser.findElement(By.id("token-ok")).click();
    wait.until(
        d ->
            d.findElement(By.id("token-dialog")).getDomAttribute("open") != null
                && d.findElement(By.id("token-input")).getDomProperty("value").isEmpty());
    screenshot("dashboard-token.png");
    browser.findElement(By.id("token-input")).sendKeys(token);
    browser.findElement(By.id("token-ok")).click();

    wait.until(ExpectedConditions.urlContains("#/recoveries/"));
    WebElement status =
        waiting(Duration.ofMinutes(3))
            .until(
                d -> {
                  List<WebElement> s =
                      d.findElements(
                          By.cssSelector(
                              "#recovery-status [data-status=SUCCEEDED],"
                                  + " #recovery-status [data-status=FAILED],"
                                  + " #recovery-status [data-status=INVALID]"));
                  return s.isEmpty() ? null : s.get(0);
                });
    assertThat(status.getText())
        .as(browser.findElement(By.tagName("main")).getText())
        .isEqualTo("SUCCEEDED");
    assertThat(status.getText()).isEqualTo("SUCCEEDED");
    assertThat(browser.findElement(By.id("recovery-rto")).getText()).matches("\\d+\\.\\d s");
    assertThat(
            browser.findElements(
                By.cssSelector("tr[data-step='check:config-present'] [data-status=SUCCEEDED]")))
        .hasSize(1);
    // the progress bar is drawn under the Content-Security-Policy (no inline style attribute)
    assertThat(browser.executeScript("return document.querySelector('.progress span').style.width"))
        .isEqualTo("100%");
    screenshot("dashboard-recovery.png");

    // the plan has passed a test of its current definition: it is ready, with that test's RTO
    open("/plans");
    WebElement planStatus =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-plan='web-" + RUN + "'] .plan-status")));
    assertThat(planStatus.getText()).isEqualTo("ready");
  }

  @Test
  void aBackupStartedFromTheBackupsPage_runsAndIsShownWhenDone() throws Exception {
    open("/backups");
    WebElement form = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-backup")));
    form.findElement(By.name("name")).sendKeys("ui-" + RUN);
    form.findElement(By.name("components")).sendKeys("files:" + uiSource);
    form.findElement(By.cssSelector("button[type=submit]")).click();
    // the token, unless an earlier test of this tab gave it already
    wait.until(
        d ->
            d.getCurrentUrl().matches(".*#/backups/\\d{8}T.*")
                || d.findElement(By.id("token-dialog")).getDomAttribute("open") != null);
    if (browser.findElement(By.id("token-dialog")).getDomAttribute("open") != null) {
      browser.findElement(By.id("token-input")).sendKeys(token);
      browser.findElement(By.id("token-ok")).click();
    }
    WebElement status =
        waiting(Duration.ofMinutes(2))
            .until(
                d -> {
                  List<WebElement> s =
                      d.findElements(
                          By.cssSelector(
                              "#backup-status [data-status=SUCCESS],"
                                  + " #backup-status [data-status=FAILED],"
                                  + " #backup-status [data-status=REJECTED]"));
                  return s.isEmpty() ? null : s.get(0);
                });
    assertThat(status.getText())
        .as(browser.findElement(By.tagName("main")).getText())
        .isEqualTo("SUCCESS");
    assertThat(browser.findElement(By.id("backup-details")).getText()).contains("ui-" + RUN);
  }

  /**
   * Every answer of the dashboard's origin says how a browser may use it: only its own scripts,
   * styles and connections, nothing inline, never inside a frame (clickjacking), no type sniffing.
   */
  @Test
  void everyAnswer_carriesAContentSecurityPolicy_andMayNotBeFramed() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path :
        List.of("/", "/index.html", "/dashboard.js", "/dashboard.css", "/api/backups", "/nope")) {
      java.net.http.HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + path)).GET().build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      var headers = r.headers();
      assertThat(headers.firstValue("X-Frame-Options")).as(path).hasValue("DENY");
      assertThat(headers.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      String csp = headers.firstValue("Content-Security-Policy").orElse("");
      assertThat(csp)
          .as(path)
          .contains("default-src 'self'")
          .contains("script-src 'self'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
    }
    // the page needs nothing inline: its one script and style sheet are files of its own
    String index =
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(index).contains("<script src=\"dashboard.js\"").doesNotContain("<script>");
    assertThat(index).doesNotContain("style=").doesNotContain("onclick");
  }

  @Test
  void theBackupApi_needsTheToken_andRefusesAPasswordItCannotSeal() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String body = "{\"name\": \"api-" + RUN + "\", \"components\": [\"files:" + uiSource + "\"]}";
    java.net.http.HttpResponse<String> noToken =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api/backups"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isIn(401, 403);
    // a path parameter does not take it around the token check (it ran as the admin api)
    java.net.http.HttpResponse<String> around =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api;x=1/backups;y=2"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(around.statusCode()).as(around.body()).isIn(401, 403);
    java.net.http.HttpResponse<String> password =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api/backups"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"x\", \"components\": [\"postgres://app:s3cret@db/shop\"]}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(password.statusCode()).isEqualTo(400);
    assertThat(password.body())
        .contains("this service holds no key to seal it")
        .doesNotContain("s3cret");
    java.net.http.HttpResponse<String> accepted =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api/backups"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = JSON.readTree(accepted.body()).get("backupId").asString();
    io.lifeboat.model.BackupView done =
        io.lifeboat.testkit.Eventually.await(
            "backup " + id + " requested over the API to end",
            () -> new io.lifeboat.model.CatalogClient(api).get(id).orElse(null),
            v -> v != null && !List.of("REQUESTED", "RUNNING").contains(v.status()));
    assertThat(done.status()).isEqualTo("SUCCESS");
    assertThat(done.name()).isEqualTo("api-" + RUN);
    assertThat(done.components().get(0).name()).isEqualTo("files");
  }
}
