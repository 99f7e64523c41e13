package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running Lifeboat in roles mode as its API's callers see it: tokens made with {@code lifeboat
 * token add}, calls with a token, and the audit trail read back.
 */
final class ApiSession {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final JsonMapper JSON = JsonMapper.builder().build();

  final RunningLifeboat lifeboat;
  final Path scratch;

  /** The token audit queries are made with. */
  @Nullable String reader;

  ApiSession(RunningLifeboat lifeboat, Path scratch) {
    this.lifeboat = lifeboat;
    this.scratch = scratch;
  }

  /** A token made with {@code lifeboat token add}, written to {@link #tokenFile}. */
  String token(String name, String role) throws Exception {
    Path out = tokenFile(name);
    Cli.Result r =
        Cli.run(lifeboat.cli("token", "add", name, "--role", role, "--out", out.toString()));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String token = Files.readString(out).strip();
    assertThat(token).startsWith("lbt_");
    assertThat(Files.readString(lifeboat.home.resolve("api-tokens"))).doesNotContain(token);
    return token;
  }

  Path tokenFile(String name) {
    return scratch.resolve(name + ".token");
  }

  HttpResponse<String> call(
      String method, String path, @Nullable String body, @Nullable String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(lifeboat.api + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the catalog shows the backup SUCCESS. */
  void awaitBackup(String backupId, String token) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    String seen = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = call("GET", "/api/backups/" + backupId, null, token);
      seen = r.statusCode() == 200 ? JSON.readTree(r.body()).path("status").asString() : "";
      if (seen.equals("SUCCESS")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "backup " + backupId + " is '" + seen + "' in the catalog, not SUCCESS");
  }

  /** The newest audit event matching the query and the predicate, waiting for it to arrive. */
  JsonNode awaitAudit(String query, Predicate<JsonNode> matches) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    List<String> seen = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = call("GET", "/api/audit" + query, null, reader);
      if (r.statusCode() == 200) {
        seen.clear(); // what the last look found
        for (JsonNode e : JSON.readTree(r.body())) {
          if (matches.test(e)) {
            return e;
          }
          seen.add(e.toString());
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError("no audit event for " + query + "; saw " + seen);
  }
}
