package dev.aura.benchmarks.load;

import java.util.Arrays;

/**
 * Latency percentiles of recorded durations, from the sorted nanoseconds themselves (nearest rank, no
 * histogram buckets).
 *
 * @param count how many durations
 * @param p50Nanos the median
 * @param p99Nanos the 99th percentile
 * @param maxNanos the largest
 */
public record Latency(int count, long p50Nanos, long p99Nanos, long maxNanos) {
  /** No durations. */
  public static final Latency NONE = new Latency(0, 0, 0, 0);

  /**
   * @param nanos the durations (sorted in place)
   * @param count how many of {@code nanos} are recorded
   * @return their percentiles
   */
  public static Latency of(long[] nanos, int count) {
    if (count == 0) {
      return NONE;
    }
    Arrays.sort(nanos, 0, count);
    return new Latency(count, rank(nanos, count, 0.50), rank(nanos, count, 0.99), nanos[count - 1]);
  }

  private static long rank(long[] sorted, int count, double quantile) {
    int index = (int) Math.ceil(quantile * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))];
  }

  /** @return milliseconds with two decimals, for tables */
  static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
