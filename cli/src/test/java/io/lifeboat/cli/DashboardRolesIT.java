package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard with roles on: reads need a token too, so it asks for one, then shows what that
 * token may read (a viewer's here). A Lifeboat of its own: two in one test JVM would share the
 * stages' consumer groups.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class DashboardRolesIT {

  static final String RUN = "lbroles_" + UUID.randomUUID().toString().substring(0, 8);
  static RunningLifeboat lifeboat;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    lifeboat = RunningLifeboat.start(RUN, Map.of("lifeboat.auth.mode", "roles"));
    browser = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  @Test
  void theDashboardAsksForATokenToRead_andThenShowsTheBackups() throws Exception {
    ApiSession session = new ApiSession(lifeboat, lifeboat.home);
    String viewer = session.token("vera", "viewer");
    Path source = Files.createTempDirectory("lifeboat-dashboard-roles");
    Files.writeString(source.resolve("app.conf"), "port = 8080\n");
    Cli.Result b =
        Cli.run(lifeboat.cli("backup", "files:" + source, "--name", RUN, "--wait", "--json"));
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    session.awaitBackup(ApiSession.JSON.readTree(b.out()).get("backupId").asString(), viewer);

    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    browser.get(lifeboat.api + "/#/backups");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain(RUN);
    browser.findElement(By.id("token-input")).sendKeys(viewer);
    browser.findElement(By.id("token-ok")).click();
    wait.until(d -> d.findElement(By.tagName("body")).getText().contains(RUN));
  }
}
