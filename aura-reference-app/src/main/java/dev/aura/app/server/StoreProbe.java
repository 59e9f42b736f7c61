package dev.aura.app.server;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Whether the store answers a cheap read within a bound, for {@code /healthz} and heartbeats: a database that
 * went away makes a read wait for the pool's connect timeout (10 s), longer than a health check may take. One
 * probe runs at a time, on a daemon thread of its own; while one is still waiting past the bound, the store
 * counts as unreachable.
 */
final class StoreProbe implements AutoCloseable {
  /** Any read of the store; throws when it fails. */
  interface Read {
    void run() throws Exception;
  }

  private final Read read;
  private final Duration bound;
  private final LongSupplier nanoTime;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "aura-store-probe");
    t.setDaemon(true);
    return t;
  });
  private Future<?> running;
  private long startedNanos;
  /** The verdict of the last probe that finished; true before the first. */
  private volatile boolean lastAnswered = true;

  StoreProbe(Read read, Duration bound) {
    this(read, bound, System::nanoTime);
  }

  StoreProbe(Read read, Duration bound, LongSupplier nanoTime) {
    this.read = read;
    this.bound = bound;
    this.nanoTime = nanoTime;
  }

  /** @return whether a read succeeded within the bound; waits for it, up to the bound */
  synchronized boolean answers() {
    startIfIdle();
    try {
      running.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return lastAnswered;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Never waits (heartbeats must not stall while the database is away): the last finished probe's verdict,
   * or false when the probe now running has been waiting longer than the bound. Starts a probe when none runs,
   * so calling it once a beat probes once a beat.
   */
  synchronized boolean answeredLately() {
    boolean verdict = lastAnswered; // read before a new probe can change it
    if (startIfIdle()) {
      return verdict;
    }
    return verdict && nanoTime.getAsLong() - startedNanos < bound.toNanos();
  }

  /** @return whether a new probe was started */
  private boolean startIfIdle() {
    if (running != null && !running.isDone()) {
      return false;
    }
    startedNanos = nanoTime.getAsLong();
    running = thread.submit(() -> {
      try {
        read.run();
        lastAnswered = true;
      } catch (Exception e) {
        lastAnswered = false;
      }
    });
    return true;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
