package dev.aura.benchmarks;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the heap a {@code RevocationList} of {@code entries} revocations retains: the used heap after a
 * full GC with the list built and reachable, minus the used heap after a full GC before building it,
 * several times in one JVM. The list is built as in the benchmarks ({@link RevocationListFixture}): its
 * changes come from a store that generates them page by page, so nothing but the list stays reachable.
 *
 * <pre>{@code
 * java -Xms2g -Xmx2g -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.RevocationListMemory 1000000 5
 * }</pre>
 *
 * <p>Warning: the figure depends on the JVM's object layout (compressed oops and class pointers, 8-byte
 * alignment: the defaults below a 32 GB heap) and is only as quiet as the JVM: run it alone, with a fixed
 * heap ({@code -Xms} = {@code -Xmx}), and nothing else allocating.
 */
public final class RevocationListMemory {
  private RevocationListMemory() {}

  /**
   * One measurement.
   *
   * @param entries revocations in the list
   * @param bytes retained heap, in bytes
   */
  public record Sample(int entries, long bytes) {
    /** @return bytes per revocation */
    public double bytesPerEntry() {
      return (double) bytes / entries;
    }
  }

  /**
   * Prints each round and the median.
   *
   * @param args {@code [entries [rounds]]}, by default 1,000,000 and 5
   * @throws InterruptedException if interrupted between collections
   */
  public static void main(String[] args) throws InterruptedException {
    int entries = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "JVM %s %s, max heap %,d MB%n", System.getProperty("java.vm.name"),
        System.getProperty("java.vm.version"), rt.maxMemory() >> 20);
    List<Sample> samples = measure(entries, rounds);
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      System.out.printf(Locale.ROOT, "round %d: %,d entries retain %,d bytes (%.1f bytes per entry)%n", i + 1,
          s.entries(), s.bytes(), s.bytesPerEntry());
    }
    Sample median = median(samples);
    System.out.printf(Locale.ROOT, "median: %,d bytes, %.1f MiB, %.1f bytes per entry%n", median.bytes(),
        median.bytes() / 1048576.0, median.bytesPerEntry());
  }

  /**
   * Builds the list {@code rounds} times, each time from an empty heap, and measures what it retains.
   *
   * @throws InterruptedException if interrupted between collections
   */
  public static List<Sample> measure(int entries, int rounds) throws InterruptedException {
    if (entries < 1 || rounds < 1) {
      throw new IllegalArgumentException("entries and rounds must be at least 1, got " + entries + " and "
          + rounds);
    }
    Sample[] samples = new Sample[rounds];
    RevocationListFixture.build(Math.min(entries, 10_000), List.of()); // loads and links the classes first
    for (int i = 0; i < rounds; i++) {
      long before = usedAfterGc();
      RevocationListFixture fixture = RevocationListFixture.build(entries, List.of());
      long after = usedAfterGc();
      Reference.reachabilityFence(fixture);
      samples[i] = new Sample(entries, after - before);
    }
    return List.of(samples);
  }

  /** @return the sample with the median size */
  public static Sample median(List<Sample> samples) {
    Sample[] sorted = samples.toArray(new Sample[0]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a.bytes(), b.bytes()));
    return sorted[sorted.length / 2];
  }

  /** Used heap after full collections, once it stops shrinking. */
  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(20);
      long now = rt.totalMemory() - rt.freeMemory();
      if (now >= used) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
