package dev.aura.testkit.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one task on many threads released together, for atomicity tests. Every wait is bounded: a store
 * that deadlocks fails the test instead of hanging the build.
 *
 * <pre>{@code
 * List<ConsumeOutcome> outcomes = Race.run(64, i -> ledger.consume(jti, hash, now));
 * assertThat(outcomes).filteredOn(o -> o == CONSUMED).hasSize(1);
 * }</pre>
 */
public final class Race {
  /** How long a whole race may take before it fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Race() {}

  /**
   * One contender's work.
   *
   * @param <T> what it returns
   */
  @FunctionalInterface
  public interface Contender<T> {
    /**
     * @param index which contender this is, 0 to {@code threads - 1}
     * @return the outcome
     * @throws Exception any failure, which fails the race
     */
    T run(int index) throws Exception;
  }

  /**
   * Starts {@code threads} threads, waits until all are ready, releases them at once and collects what
   * each returned.
   *
   * @param threads how many contenders, at least 1
   * @param contender the work of each
   * @param <T> what each returns
   * @return the outcomes, by contender index
   * @throws AssertionError if a contender failed or the race did not finish within {@link #TIMEOUT}
   */
  public static <T> List<T> run(int threads, Contender<T> contender) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          ready.countDown();
          if (!start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("start gate never opened");
          }
          return contender.run(index);
        }));
      }
      if (!ready.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("only " + (threads - ready.getCount()) + " of " + threads
            + " contenders started within " + TIMEOUT);
      }
      start.countDown();
      List<T> outcomes = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        outcomes.add(futures.get(i).get(remaining(deadline), TimeUnit.NANOSECONDS));
      }
      return outcomes;
    } catch (ExecutionException e) {
      throw new AssertionError("a contender failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the race did not finish within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while racing", e);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
