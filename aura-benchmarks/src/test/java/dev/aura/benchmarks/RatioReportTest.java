package dev.aura.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatioReportTest {
  private static String result(String benchmark, double score, String error, double... iterations) {
    StringBuilder raw = new StringBuilder("[");
    for (int i = 0; i < iterations.length; i++) {
      raw.append(i == 0 ? "" : ",").append(iterations[i]);
    }
    raw.append(']');
    return "{\"benchmark\":\"dev.aura.benchmarks." + benchmark + "\",\"mode\":\"thrpt\",\"primaryMetric\":{"
        + "\"score\":" + score + ",\"scoreError\":" + error + ",\"scoreUnit\":\"ops/s\","
        + "\"rawData\":[" + raw + "," + raw + "]}}";
  }

  private static String lookup(String method, String entries, double nanos, double error) {
    return "{\"benchmark\":\"dev.aura.benchmarks.RevocationLookup." + method + "\",\"mode\":\"avgt\","
        + "\"params\":{\"entries\":\"" + entries + "\"},\"primaryMetric\":{\"score\":" + nanos
        + ",\"scoreError\":" + error + ",\"scoreUnit\":\"ns/op\",\"rawData\":[[1,2,3]]}}";
  }

  private static String report(String json) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RatioReport.print(RatioReport.parse(json), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void parse_countsSamplesOverAllForks_andDropsThePackage() throws IOException {
    List<RatioReport.Score> scores = RatioReport.parse("[" + result("Es256Verify.auraVerify", 9000, "100", 1, 2, 3)
        + "]");

    assertThat(scores).containsExactly(new RatioReport.Score("Es256Verify.auraVerify", "", 6, 9000, 100, "ops/s"));
  }

  @Test
  void parse_withAMissingError_keepsTheScoreWithNaN() throws IOException {
    assertThat(RatioReport.parse("[" + result("Es256Verify.auraVerify", 9000, "\"NaN\"", 1) + "]").get(0).error())
        .isNaN();
  }

  @Test
  void parse_ofSomethingElse_isRefused() {
    assertThatThrownBy(() -> RatioReport.parse("{\"benchmark\":1}"))
        .isInstanceOf(IOException.class).hasMessageContaining("not a JMH JSON result");
  }

  @Test
  void report_ratioClearlyAboveTheFloor_meetsIt() throws IOException {
    String out = report("[" + result("Es256Verify.auraVerify", 9500, "100", 1) + ","
        + result("Es256Verify.rawBcVerify", 10000, "100", 1) + "]");

    assertThat(out).contains("| Es256Verify.auraVerify / rawBcVerify | 0.95x ± 0.01 | ≥ 0.90x | meets |");
  }

  @Test
  void report_peerRatioBelowFiveWithWideError_missesWithTheTargetWithinError() throws IOException {
    String out = report("[" + result("Ed25519Verify.auraVerify", 10000, "1000", 1) + ","
        + result("Ed25519Verify.nimbusVerify", 2500, "1250", 1) + "]");

    assertThat(out).contains(
        "| Ed25519Verify.auraVerify / nimbusVerify | 4.00x ± 2.04 | ≥ 5.00x | misses (target within error) |");
  }

  @Test
  void report_peerRatioBelowFiveBeyondItsError_missesIt() throws IOException {
    String out = report("[" + result("Ed25519Verify.auraVerify", 10000, "100", 1) + ","
        + result("Ed25519Verify.nimbusVerify", 4000, "40", 1) + "]");

    assertThat(out).contains("| Ed25519Verify.auraVerify / nimbusVerify | 2.50x ± 0.04 | ≥ 5.00x | misses |");
  }

  @Test
  void report_primitiveComparison_hasNoTarget() throws IOException {
    String out = report("[" + result("Ed25519Sign.rawBcSign", 30000, "300", 1) + ","
        + result("Ed25519Sign.rawTinkSign", 15000, "150", 1) + "]");

    assertThat(out).contains("| Ed25519Sign.rawBcSign / rawTinkSign | 2.00x ± 0.03 |  | (no target) |");
  }

  @Test
  void parse_keepsTheParams() throws IOException {
    assertThat(RatioReport.parse("[" + lookup("findJtiHit", "1000000", 80.5, 2.5) + "]")).containsExactly(
        new RatioReport.Score("RevocationLookup.findJtiHit", "entries=1000000", 3, 80.5, 2.5, "ns/op"));
  }

  @Test
  void report_lookupsAtAMillion_areJudgedAgainstOneMicrosecond_andSmallListsAreNot() throws IOException {
    String out = report("[" + lookup("findJtiHit", "1000000", 80.5, 2.5) + ","
        + lookup("revocationOfMiss", "1000000", 950, 100) + "," + lookup("findJtiMiss", "1000000", 1500, 10)
        + "," + lookup("findJtiHit", "1000", 20.25, 0.5) + "]");

    assertThat(out)
        .contains("| Benchmark | Params | Cnt | Score | Error (99.9%) | Units |")
        .contains("| RevocationLookup.findJtiHit | entries=1000 | 3 | 20.3 | ± 0.5 | ns/op |")
        .contains("| RevocationLookup.findJtiHit | entries=1000000 | 80.5 ns ± 2.5 | < 1,000 ns | meets |")
        .contains("| RevocationLookup.revocationOfMiss | entries=1000000 | 950 ns ± 100 | < 1,000 ns | meets (target"
            + " within error) |")
        .contains("| RevocationLookup.findJtiMiss | entries=1000000 | 1,500 ns ± 10 | < 1,000 ns | misses |")
        .doesNotContain("| RevocationLookup.findJtiHit | entries=1000 | 20");
  }

  @Test
  void report_verificationWithTheRevocationList_isJudgedAgainstTheFloorWithItsParams() throws IOException {
    String withList = result("Ed25519Verify.auraVerifyRevocationList", 11000, "110", 1)
        .replace("\"mode\"", "\"params\":{\"entries\":\"1000000\"},\"mode\"");

    String out = report("[" + withList + "," + result("Ed25519Verify.rawBcVerify", 12000, "120", 1) + "]");

    assertThat(out).contains("| Ed25519Verify.auraVerifyRevocationList / rawBcVerify [entries=1000000] | 0.92x ± 0.01"
        + " | ≥ 0.90x | meets |");
  }

  @Test
  void report_ledger_comparesTheFloorWithEachDatabaseAndThreadCounts() throws IOException {
    String out = report("[" + result("LedgerConsume.inMemory", 1_000_000, "10000", 1) + ","
        + result("LedgerConsume.sqlite", 500, "50", 1) + "," + result("LedgerConsume.sqlite8Threads", 600, "60", 1)
        + "," + result("LedgerConsume.postgres", 1000, "100", 1) + "]");

    assertThat(out)
        .contains("| LedgerConsume.inMemory / sqlite | 2,000x ± 201 |  | (no target) |")
        .contains("| LedgerConsume.inMemory / postgres | 1,000x ± 100 |  | (no target) |")
        .contains("| LedgerConsume.postgres / sqlite | 2.00x ± 0.28 |  | (no target) |")
        .contains("| LedgerConsume.sqlite8Threads / sqlite | 1.20x ± 0.17 |  | (no target) |")
        .doesNotContain("postgres8Threads");
  }
}
