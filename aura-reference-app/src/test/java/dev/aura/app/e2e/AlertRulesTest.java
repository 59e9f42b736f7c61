package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules {@code docs/operations.md} suggests ({@code docs/alerts.yml}): {@code promtool check rules}
 * accepts them, {@code promtool test rules docs/alerts.test.yml} shows each one firing after its {@code for} on
 * the series it names and staying quiet on a healthy value, and every {@code aura_*} series a rule names is one
 * a real Mothership exports (so a renamed metric cannot leave an alert that never fires).
 */
class AlertRulesTest {
  private static final Path DOCS = Path.of("..", "docs");
  private static final Pattern AURA_SERIES = Pattern.compile("\\baura_[a-z_]+");

  @TempDir
  Path temp;

  @Test
  void alertRules_passPromtoolCheckRules() throws Exception {
    String report = promtool("check", "rules", "alerts.yml");
    assertThat(report).contains("SUCCESS: 5 rules found");
  }

  @Test
  void alertRules_fireOnTheirSeriesAfterTheirFor_andNotOnHealthyValues() throws Exception {
    String report = promtool("test", "rules", "alerts.test.yml");
    assertThat(report).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void alertRules_nameOnlySeriesThatAMothershipExports() throws Exception {
    Set<String> named = new TreeSet<>();
    for (String line : Files.readAllLines(DOCS.resolve("alerts.yml"))) {
      if (line.trim().startsWith("expr:")) {
        Matcher m = AURA_SERIES.matcher(line);
        while (m.find()) {
          named.add(m.group());
        }
      }
    }
    assertThat(named).containsExactlyInAnyOrder("aura_tls_cert_not_after_seconds", "aura_health_degraded",
        "aura_revocation_lagging_peers", "aura_sync_backlog_events");
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Https https = new Https(m.url(), m.host("mothership", "tls", "info").field("fingerprint"));
      Map<String, Double> exported = MetricsEndpointTest.series(https.get("/metrics").body());
      List<String> names = exported.keySet().stream().map(k -> k.replaceAll("\\{.*", "")).distinct().toList();
      assertThat(names).containsAll(named);
    }
  }

  /** Runs promtool in docs/ (the rule file names its rules file relatively) and returns what it printed. */
  private static String promtool(String... args) throws Exception {
    Optional<Path> promtool = dev.aura.app.testing.TestPrograms.onPath("promtool");
    Assumptions.assumeTrue(promtool.isPresent(),
        "promtool is not on the PATH (Debian package prometheus): `promtool " + String.join(" ", args)
            + "` not run");
    List<String> command = new java.util.ArrayList<>();
    command.add(promtool.get().toString());
    command.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(command).directory(DOCS.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool " + String.join(" ", args) + " did not finish within 60s");
    }
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("promtool %s said:\n%s", String.join(" ", args), report).isZero();
    return report;
  }
}
