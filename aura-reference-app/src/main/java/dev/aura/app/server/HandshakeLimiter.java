package dev.aura.app.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed handshakes per remote address: after {@code perMinute} failures within a minute, further
 * joins from that address are refused until the oldest failure is a minute old. Memory is bounded: at most
 * {@link #MAX_ADDRESSES} addresses are tracked.
 */
public final class HandshakeLimiter {
  /** Most addresses tracked at once. */
  public static final int MAX_ADDRESSES = 10_000;
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private final int perMinute;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  /**
   * @param perMinute failures allowed per address per minute, at least 1
   * @param clock the time of each failure
   */
  public HandshakeLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute must be at least 1, got " + perMinute);
    }
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** @return how long {@code address} must wait, or empty when it may try */
  public Optional<Duration> retryAfter(String address) {
    Deque<Instant> times = failures.get(address);
    if (times == null) {
      return Optional.empty();
    }
    synchronized (times) {
      Instant now = clock.instant();
      prune(times, now);
      if (times.size() < perMinute) {
        return Optional.empty();
      }
      Duration wait = Duration.between(now, times.peekFirst().plus(WINDOW));
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }
  }

  /** Records a failed handshake from {@code address}. */
  public void failed(String address) {
    if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
      evictIdle();
    }
    Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    synchronized (times) {
      Instant now = clock.instant();
      prune(times, now);
      times.addLast(now);
      while (times.size() > perMinute) {
        times.removeFirst();
      }
    }
  }

  private void prune(Deque<Instant> times, Instant now) {
    while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) {
      times.removeFirst();
    }
  }

  private void evictIdle() {
    Instant now = clock.instant();
    for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
      Deque<Instant> times = it.next().getValue();
      synchronized (times) {
        prune(times, now);
        if (times.isEmpty()) {
          it.remove();
        }
      }
    }
    if (failures.size() >= MAX_ADDRESSES) {
      failures.clear(); // a flood of distinct addresses: start over rather than grow
    }
  }
}
