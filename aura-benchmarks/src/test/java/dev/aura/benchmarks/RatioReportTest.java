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

  private static String report(String json) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RatioReport.print(RatioReport.parse(json), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void parse_countsSamplesOverAllForks_andDropsThePackage() throws IOException {
    List<RatioReport.Score> scores = RatioReport.parse("[" + result("Es256Verify.auraVerify", 9000, "100", 1, 2, 3)
        + "]");

    assertThat(scores).containsExactly(new RatioReport.Score("Es256Verify.auraVerify", 6, 9000, 100, "ops/s"));
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
}
