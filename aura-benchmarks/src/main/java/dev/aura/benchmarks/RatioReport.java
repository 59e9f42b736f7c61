package dev.aura.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns JMH JSON results ({@code -rf json -rff results.json}) into the Markdown tables and ratios of
 * {@code docs/benchmarks.md}, so that every number there is reproducible from a results file.
 *
 * <pre>{@code
 * java -jar aura-benchmarks/target/benchmarks.jar Verify -rf json -rff verify.json
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.RatioReport verify.json
 * }</pre>
 *
 * <p>It prints every result (with its parameters, such as {@code entries=1000000}), then:
 * <ul>
 *   <li>for each {@code ...Verify} and {@code ...Sign} class: Aura's validation (or signing) over raw
 *       BouncyCastle, against the target of at least 0.90x; Aura over each peer library, against the
 *       target of at least 5x; and the raw primitives against each other;
 *   <li>for {@link LedgerConsume}: the in-memory floor over each database, PostgreSQL over SQLite, and
 *       8 threads over one (no targets);
 *   <li>for {@link RevocationLookup} at 1,000,000 entries: each lookup's time against the target of under
 *       1 µs.
 * </ul>
 * A ratio's error is the JMH 99.9% half-widths of both scores combined (root sum of squares of the relative
 * errors): a rough bound, not a confidence interval.
 */
public final class RatioReport {
  /** Floor for Aura's throughput over raw BouncyCastle's (issue 7). */
  public static final double FLOOR_TARGET = 0.90;
  /** Floor for Aura's throughput over each peer library's (issue 7). */
  public static final double PEER_TARGET = 5.0;
  /** Ceiling for one revocation lookup at 1,000,000 entries, in nanoseconds (issue 7). */
  public static final double LOOKUP_TARGET_NANOS = 1_000;
  /** The list size the lookup target applies to. */
  public static final String LOOKUP_TARGET_PARAMS = "entries=1000000";

  private static final List<String> PEERS = List.of("nimbus", "jjwt", "jose4j", "auth0");
  private static final Map<String, Double> NANOS_PER_UNIT = Map.of("ns/op", 1.0, "us/op", 1e3, "ms/op", 1e6,
      "s/op", 1e9);

  /**
   * One JMH result.
   *
   * @param benchmark the class and method, without the package
   * @param params the benchmark's parameters as {@code name=value}, comma-separated; empty when none
   * @param samples measurement iterations over all forks
   * @param score the mean
   * @param error the 99.9% half-width, NaN when JMH gives none
   * @param unit the score's unit
   */
  public record Score(String benchmark, String params, int samples, double score, double error, String unit) {
    String className() {
      return benchmark.substring(0, benchmark.indexOf('.'));
    }

    String label() {
      return params.isEmpty() ? benchmark : benchmark + " [" + params + "]";
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
      StringJoiner params = new StringJoiner(", ");
      result.path("params").properties().forEach(p -> params.add(p.getKey() + "=" + p.getValue().asText()));
      scores.add(new Score(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
          params.toString(), samples, metric.path("score").asDouble(),
          error.isNumber() ? error.asDouble() : Double.NaN, metric.path("scoreUnit").asText()));
    }
    return scores;
  }

  /** Prints the table, the ratios and the targets of every benchmark class present. */
  public static void print(List<Score> scores, PrintStream out) {
    Map<String, Score> byLabel = new TreeMap<>();
    scores.forEach(s -> byLabel.put(s.label(), s));
    boolean withParams = scores.stream().anyMatch(s -> !s.params().isEmpty());
    out.println(withParams ? "| Benchmark | Params | Cnt | Score | Error (99.9%) | Units |"
        : "| Benchmark | Cnt | Score | Error (99.9%) | Units |");
    out.println(withParams ? "|---|---|---:|---:|---:|---|" : "|---|---:|---:|---:|---|");
    for (Score s : byLabel.values()) {
      out.printf(Locale.ROOT, "| %s |%s %d | %s | %s | %s |%n", s.benchmark(),
          withParams ? " " + s.params() + " |" : "", s.samples(), number(s.score(), s.score()),
          Double.isNaN(s.error()) ? "n/a" : "± " + number(s.error(), s.score()), s.unit());
    }

    List<String> ratios = new ArrayList<>();
    for (String type : new TreeSet<>(byLabel.values().stream().map(Score::className).toList())) {
      if (type.endsWith("Verify") || type.endsWith("Sign")) {
        tokenRatios(ratios, scores, type);
      } else if (type.equals(LedgerConsume.class.getSimpleName())) {
        for (String threads : List.of("", "8Threads")) {
          row(ratios, scores, type, "inMemory" + threads, "sqlite" + threads, Double.NaN);
          row(ratios, scores, type, "inMemory" + threads, "postgres" + threads, Double.NaN);
          row(ratios, scores, type, "postgres" + threads, "sqlite" + threads, Double.NaN);
        }
        for (String store : List.of("inMemory", "sqlite", "postgres")) {
          row(ratios, scores, type, store + "8Threads", store, Double.NaN);
        }
      }
    }
    if (!ratios.isEmpty()) {
      out.println();
      out.println("| Ratio | Value | Target | Verdict |");
      out.println("|---|---:|---:|---|");
      ratios.forEach(out::println);
    }

    List<String> lookups = new ArrayList<>();
    for (Score s : byLabel.values()) {
      Double nanos = NANOS_PER_UNIT.get(s.unit());
      if (s.className().equals(RevocationLookup.class.getSimpleName()) && nanos != null
          && s.params().contains(LOOKUP_TARGET_PARAMS)) {
        double time = s.score() * nanos;
        double error = s.error() * nanos;
        lookups.add(String.format(Locale.ROOT, "| %s | %s | %s ns%s | < %,.0f ns | %s |", s.benchmark(),
            s.params(), number(time, time), Double.isNaN(error) ? "" : " ± " + number(error, time), LOOKUP_TARGET_NANOS,
            verdict(-time, error, -LOOKUP_TARGET_NANOS)));
      }
    }
    if (!lookups.isEmpty()) {
      out.println();
      out.println("| Lookup at 1,000,000 entries | Params | Time | Target | Verdict |");
      out.println("|---|---|---:|---:|---|");
      lookups.forEach(out::println);
    }
  }

  private static void tokenRatios(List<String> out, List<Score> scores, String type) {
    boolean verify = type.endsWith("Verify");
    String op = verify ? "Verify" : "Sign";
    String ours = verify ? "auraVerify" : "auraSign";
    String floor = "rawBc" + op;
    for (String aura : List.of(ours, "auraVerifyRevocation1k", "auraVerifyRevocationList", "auraIssue")) {
      row(out, scores, type, aura, floor, FLOOR_TARGET);
    }
    for (String peer : PEERS) {
      row(out, scores, type, ours, peer + op, PEER_TARGET);
    }
    row(out, scores, type, ours, "nimbusWithAura" + (verify ? "Verifier" : "Signer"), Double.NaN);
    row(out, scores, type, floor, "rawJdk" + op, Double.NaN);
    row(out, scores, type, floor, "rawTink" + op, Double.NaN);
  }

  /** One row per pair of results of the two methods (more than one when a method ran with several params). */
  private static void row(List<String> out, List<Score> scores, String type, String numerator,
      String denominator, double target) {
    for (Score a : named(scores, type + "." + numerator)) {
      for (Score b : named(scores, type + "." + denominator)) {
        double ratio = a.score() / b.score();
        double error = ratio * Math.hypot(a.error() / a.score(), b.error() / b.score());
        String params = a.params().equals(b.params()) || b.params().isEmpty() ? a.params()
            : a.params() + " / " + b.params();
        out.add(String.format(Locale.ROOT, "| %s.%s / %s%s | %sx%s | %s | %s |", type, numerator, denominator,
            params.isEmpty() ? "" : " [" + params + "]", ratioNumber(ratio, ratio),
            Double.isNaN(error) ? "" : " ± " + ratioNumber(error, ratio),
            Double.isNaN(target) ? "" : String.format(Locale.ROOT, "≥ %.2fx", target),
            Double.isNaN(target) ? "(no target)" : verdict(ratio, error, target)));
      }
    }
  }

  private static List<Score> named(List<Score> scores, String benchmark) {
    return scores.stream().filter(s -> s.benchmark().equals(benchmark))
        .sorted(Comparator.comparing(Score::params)).toList();
  }

  /** Whether {@code value ± error} is at least {@code target}. */
  private static String verdict(double value, double error, double target) {
    if (Double.isNaN(error)) {
      return value >= target ? "meets" : "misses";
    } else if (value - error >= target) {
      return "meets";
    } else if (value + error < target) {
      return "misses";
    }
    return (value >= target ? "meets" : "misses") + " (target within error)";
  }

  /** A ratio with two decimals below 100 (0.95, 15.22), none from 100 on (1,234), like its reference. */
  private static String ratioNumber(double value, double reference) {
    return String.format(Locale.ROOT, Math.abs(reference) >= 100 ? "%,.0f" : "%.2f", value);
  }

  /**
   * A number with two decimals below 10, one below 100 and none from 100 on (1.23, 12.3, 12,345), as many as
   * its reference needs.
   */
  private static String number(double value, double reference) {
    double r = Math.abs(reference);
    return String.format(Locale.ROOT, r >= 100 || Double.isInfinite(r) ? "%,.0f" : r >= 10 ? "%.1f" : "%.2f",
        value);
  }
}
