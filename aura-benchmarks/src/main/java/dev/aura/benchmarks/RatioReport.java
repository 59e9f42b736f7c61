package dev.aura.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results ({@code -rf json -rff results.json}) into the Markdown tables and ratios of
 * {@code docs/benchmarks.md}, so that every number there is reproducible from a results file.
 *
 * <pre>{@code
 * java -jar aura-benchmarks/target/benchmarks.jar Verify -rf json -rff verify.json
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.RatioReport verify.json
 * }</pre>
 *
 * <p>For each benchmark class it prints: Aura's validation (or signing) over raw BouncyCastle, against the
 * issue's target of at least 0.90x; Aura over each peer library, against the target of at least 5x; and
 * the raw primitives against each other. A ratio's error is the JMH 99.9% half-widths of both scores
 * combined (root sum of squares of the relative errors): a rough bound, not a confidence interval.
 */
public final class RatioReport {
  /** Floor for Aura's throughput over raw BouncyCastle's (issue 7). */
  public static final double FLOOR_TARGET = 0.90;
  /** Floor for Aura's throughput over each peer library's (issue 7). */
  public static final double PEER_TARGET = 5.0;

  private static final List<String> PEERS = List.of("nimbus", "jjwt", "jose4j", "auth0");

  /**
   * One JMH result.
   *
   * @param benchmark the class and method, without the package
   * @param samples measurement iterations over all forks
   * @param score the mean
   * @param error the 99.9% half-width, NaN when JMH gives none
   * @param unit the score's unit
   */
  public record Score(String benchmark, int samples, double score, double error, String unit) {
    String className() {
      return benchmark.substring(0, benchmark.indexOf('.'));
    }
  }

  private RatioReport() {}

  /**
   * Prints the report for the given result files.
   *
   * @param args one or more JMH JSON result files
   * @throws IOException if a file cannot be read or is not JMH JSON
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: RatioReport results.json [more.json ...]");
      System.exit(2);
    }
    List<Score> scores = new ArrayList<>();
    for (String file : args) {
      scores.addAll(parse(Files.readString(Path.of(file))));
    }
    print(scores, System.out);
  }

  /**
   * Reads JMH's JSON result format.
   *
   * @throws IOException if the text is not JMH JSON
   */
  public static List<Score> parse(String json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    if (root == null || !root.isArray()) {
      throw new IOException("not a JMH JSON result (expected an array of results)");
    }
    List<Score> scores = new ArrayList<>();
    for (JsonNode result : root) {
      String name = result.path("benchmark").asText();
      JsonNode metric = result.path("primaryMetric");
      int samples = 0;
      for (JsonNode fork : metric.path("rawData")) {
        samples += fork.size();
      }
      JsonNode error = metric.path("scoreError");
      scores.add(new Score(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), samples,
          metric.path("score").asDouble(), error.isNumber() ? error.asDouble() : Double.NaN,
          metric.path("scoreUnit").asText()));
    }
    return scores;
  }

  /** Prints the table and the ratios of every benchmark class present. */
  public static void print(List<Score> scores, PrintStream out) {
    Map<String, Score> byName = new TreeMap<>();
    scores.forEach(s -> byName.put(s.benchmark(), s));
    out.println("| Benchmark | Cnt | Score | Error (99.9%) | Units |");
    out.println("|---|---:|---:|---:|---|");
    for (Score s : byName.values()) {
      out.printf(Locale.ROOT, "| %s | %d | %,.0f | %s | %s |%n", s.benchmark(), s.samples(), s.score(),
          Double.isNaN(s.error()) ? "n/a" : String.format(Locale.ROOT, "± %,.0f", s.error()), s.unit());
    }
    out.println();
    out.println("| Ratio | Value | Target | Verdict |");
    out.println("|---|---:|---:|---|");
    for (String type : new java.util.TreeSet<>(byName.values().stream().map(Score::className).toList())) {
      boolean verify = type.endsWith("Verify");
      String op = verify ? "Verify" : "Sign";
      String ours = verify ? "auraVerify" : "auraSign";
      String floor = "rawBc" + op;
      for (String aura : List.of(ours, "auraVerifyRevocation1k", "auraIssue")) {
        row(out, byName, type, aura, floor, FLOOR_TARGET);
      }
      for (String peer : PEERS) {
        row(out, byName, type, ours, peer + op, PEER_TARGET);
      }
      row(out, byName, type, ours, "nimbusWithAura" + (verify ? "Verifier" : "Signer"), Double.NaN);
      row(out, byName, type, floor, "rawJdk" + op, Double.NaN);
      row(out, byName, type, floor, "rawTink" + op, Double.NaN);
    }
  }

  private static void row(PrintStream out, Map<String, Score> byName, String type, String numerator,
      String denominator, double target) {
    Score a = byName.get(type + "." + numerator);
    Score b = byName.get(type + "." + denominator);
    if (a == null || b == null) {
      return;
    }
    double ratio = a.score() / b.score();
    double error = ratio * Math.hypot(a.error() / a.score(), b.error() / b.score());
    String verdict;
    if (Double.isNaN(target)) {
      verdict = "(no target)";
    } else if (Double.isNaN(error)) {
      verdict = ratio >= target ? "meets" : "misses";
    } else if (ratio - error >= target) {
      verdict = "meets";
    } else if (ratio + error < target) {
      verdict = "misses";
    } else {
      verdict = (ratio >= target ? "meets" : "misses") + " (target within error)";
    }
    out.printf(Locale.ROOT, "| %s.%s / %s | %.2fx%s | %s | %s |%n", type, numerator, denominator, ratio,
        Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %.2f", error),
        Double.isNaN(target) ? "" : String.format(Locale.ROOT, "≥ %.2fx", target), verdict);
  }
}
