package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aura.app.protocol.Wire;
import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real Mothership, kept by the Prometheus Java client: the series a join, a
 * refresh and a sync push leave behind, the JVM and process metrics, and {@code promtool check metrics}.
 */
class MetricsEndpointTest {
  private static final String CONFIG = "[peers]\nheartbeat_interval = \"1s\"\n";
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  @Test
  void metrics_afterJoinRefreshAndSyncPush_showLatencyRejectionsSyncAndProcessSeries() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      Https https = https(m);
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer carol = m.peer("carol");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")));
      Path a = Files.createDirectories(temp.resolve("trees/alice"));
      Path c = Files.createDirectories(temp.resolve("trees/carol"));
      Files.writeString(a.resolve("README.md"), "# widget\n");
      Files.writeString(a.resolve("A.java"), "class A {}\n");
      ok(alice.run("sync", "--dir", a.toString(), "--once"));
      ok(carol.run("sync", "--dir", c.toString(), "--once"));
      Files.writeString(c.resolve("carol.txt"), "carol was here\n");
      assertThat(ok(carol.run("sync", "--dir", c.toString(), "--once")).err()).contains("role not permitted");
      m.clock().advance(Duration.ofDays(4)); // past half of the weekly rotation: ping rotates the credential
      assertThat(ok(alice.run("mothership", "ping")).out()).contains("credential: accepted");
      HttpResponse<String> refused = https.send(https.request(Wire.REFRESH).header(Wire.PROTOCOL_HEADER, "1")
          .header("Authorization", "Bearer not-a-credential").POST(HttpRequest.BodyPublishers.ofString("{}"))
          .build());
      assertThat(refused.statusCode()).isBetween(400, 499);

      Map<String, Double> s;
      try (Background sync = new Background(carol.env(), "sync", "--dir", c.toString())) {
        sync.awaitOutput("syncing: ");
        s = awaitSeries(https, "aura_sync_subscribers{workspace=\"default\"}");
        assertThat(s.get("aura_sync_subscribers{workspace=\"default\"}")).isEqualTo(1.0);
        assertThat(s.get("aura_connected_peers")).isGreaterThanOrEqualTo(1.0);
      }

      // the join and refresh histograms, by outcome
      assertThat(s.get("aura_join_duration_seconds_count{outcome=\"ok\"}")).isEqualTo(2.0);
      assertThat(s.get("aura_join_duration_seconds_bucket{outcome=\"ok\",le=\"+Inf\"}")).isEqualTo(2.0);
      assertThat(s.get("aura_join_duration_seconds_sum{outcome=\"ok\"}")).isGreaterThan(0.0).isLessThan(60.0);
      assertThat(s.get("aura_join_duration_seconds_count{outcome=\"rejected\"}")).isEqualTo(0.0);
      assertThat(s.get("aura_refresh_duration_seconds_count{outcome=\"ok\"}")).isGreaterThanOrEqualTo(1.0);
      assertThat(s.get("aura_refresh_duration_seconds_count{outcome=\"rejected\"}")).isEqualTo(1.0);
      assertThat(s.get("aura_refresh_duration_seconds_sum{outcome=\"ok\"}")).isGreaterThan(0.0);
      assertThat(s.get("aura_refresh_rotations_total")).isGreaterThanOrEqualTo(1.0);
      assertThat(s.get("aura_joins_total")).isEqualTo(2.0);
      assertThat(s.get("aura_tokens_issued_total")).isEqualTo(2.0);
      assertThat(s.keySet()).anyMatch(k -> k.startsWith("aura_join_rejections_total{reason="));
      // the sync plane
      assertThat(s.get("aura_sync_events_persisted_total")).isEqualTo(2.0);
      assertThat(s.get("aura_sync_commits_total")).isBetween(1.0, 2.0);
      assertThat(s.get("aura_sync_workspace_head{workspace=\"default\"}")).isEqualTo(2.0);
      assertThat(s.get("aura_sync_backlog_events")).isEqualTo(0.0);
      assertThat(s.get("aura_sync_pushes_in_flight")).isEqualTo(0.0);
      assertThat(s.get("aura_sync_pushes_refused_total{reason=\"role_not_permitted\"}")).isEqualTo(1.0);
      // measured with the event log's clock, the fixture's manual one here: zero, not absent
      assertThat(s.get("aura_sync_commit_latency_seconds")).isBetween(0.0, 60.0);
      assertThat(s.get("aura_sync_commit_latency_recent_max_seconds"))
          .isGreaterThanOrEqualTo(s.get("aura_sync_commit_latency_seconds"));
      // health, peers, revocation
      assertThat(s.get("aura_health_degraded{reason=\"tls_cert_expiring_soon\"}")).isEqualTo(0.0);
      assertThat(s.get("aura_health_degraded{reason=\"store_unreachable\"}")).isEqualTo(0.0);
      assertThat(s.get("aura_health_degraded{reason=\"wal_behind\"}")).isEqualTo(0.0);
      assertThat(s.get("aura_registered_peers")).isEqualTo(2.0);
      assertThat(s.get("aura_revocation_version")).isEqualTo(0.0);
      assertThat(s.get("aura_revocation_lagging_peers")).isEqualTo(0.0);
      // the process
      assertThat(s.get("process_cpu_seconds_total")).isGreaterThan(0.0);
      assertThat(s.get("process_start_time_seconds")).isGreaterThan(1.7e9);
      assertThat(s.get("jvm_threads_current")).isGreaterThan(1.0);
      assertThat(s.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{area=\"heap\"}"));
    }
  }

  @Test
  void metrics_ofTwoMothershipsInOneProcess_areKeptApart() {
    try (MothershipFixture first = MothershipFixture.builder(temp.resolve("first")).start();
        MothershipFixture second = MothershipFixture.builder(temp.resolve("second")).start()) {
      ok(first.peer("alice").join(first.issue("--for", "alice@acme.com")));

      assertThat(series(https(first).get("/metrics").body()).get("aura_joins_total")).isEqualTo(1.0);
      assertThat(series(https(second).get("/metrics").body()).get("aura_joins_total")).isEqualTo(0.0);
    }
  }

  @Test
  void metrics_passPromtoolCheckMetrics() throws Exception {
    Optional<Path> promtool = dev.aura.app.testing.TestPrograms.onPath("promtool");
    Assumptions.assumeTrue(promtool.isPresent(),
        "promtool is not on the PATH (Debian package prometheus): `promtool check metrics` not run");
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      String token = m.issue("--for", "alice@acme.com");
      ok(m.peer("alice").join(token));
      assertThat(m.peer("alice-again").join(token).exit()).isEqualTo(1); // a rejection series
      Path a = Files.createDirectories(temp.resolve("trees/alice"));
      Files.writeString(a.resolve("README.md"), "# widget\n");
      ok(m.peer("alice").run("sync", "--dir", a.toString(), "--once"));
      String text = https(m).get("/metrics").body();

      Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true)
          .start();
      try (var in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("promtool check metrics did not finish within 30s");
      }
      String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("promtool check metrics said:\n%s\non:\n%s", report, text).isZero();
      assertThat(report).isEmpty();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Https https(MothershipFixture m) {
    return new Https(m.url(), m.host("mothership", "tls", "info").field("fingerprint"));
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  /** Scrapes until a series appears (a subscription is registered just after its reply is sent). */
  private static Map<String, Double> awaitSeries(Https https, String name) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Map<String, Double> s = series(https.get("/metrics").body());
      if (s.containsKey(name) || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(50);
    }
  }

  /** @return every sample of an exposition text, by series (name and labels as written) */
  static Map<String, Double> series(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String value = line.substring(space + 1);
      out.put(line.substring(0, space), switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(value);
      });
    }
    return out;
  }
}
