package dev.aura.app.server;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the store answers a cheap read within a bound, for {@code /healthz}: a database that went away
 * makes a read wait for the pool's connect timeout (10 s), longer than a health check may take. One probe
 * runs at a time, on a daemon thread of its own; while one is still waiting, the store counts as unreachable.
 */
final class StoreProbe implements AutoCloseable {
  /** Any read of the store; throws when it fails. */
  interface Read {
    void run() throws Exception;
  }

  private final Read read;
  private final Duration bound;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "aura-store-probe");
    t.setDaemon(true);
    return t;
  });
  private Future<?> running;

  StoreProbe(Read read, Duration bound) {
    this.read = read;
    this.bound = bound;
  }

  /** @return whether the read succeeded within the bound */
  synchronized boolean answers() {
    if (running == null || running.isDone()) {
      running = thread.submit(() -> {
        read.run();
        return null;
      });
    }
    try {
      running.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
