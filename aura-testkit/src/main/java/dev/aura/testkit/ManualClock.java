package dev.aura.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that only moves when a test moves it, so a test can pin the exact instant of a boundary
 * (a token that expires now, a grace window that ends now).
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.startingAt(Instant.parse("2025-01-15T10:00:00Z"));
 * JoinTokenIssuer issuer = ...(clock);          // anything that takes a Clock
 * clock.advance(Duration.ofMinutes(5));         // exactly five minutes later
 * clock.set(Instant.parse("2025-01-15T09:59:59Z")); // backwards too, to test clock skew
 * }</pre>
 *
 * <p>Thread-safe: the current instant is held in an {@link AtomicReference}, and the clocks returned by
 * {@link #withZone} share it, so moving one moves them all. The zone starts as UTC.
 *
 * <p><b>Warning:</b> unlike a real clock, {@link #set} may move time backwards. That is deliberate (tests of
 * clock-skew rules need it), but code under test that assumes a monotonic clock will see it happen.
 */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /**
   * A clock at {@code start}, in UTC.
   *
   * @param start the first instant the clock reports
   */
  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock at {@code start}, in UTC; the same as the constructor.
   *
   * @param start the first instant the clock reports
   * @return the clock
   */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(start);
  }

  /**
   * Moves the clock forward.
   *
   * @param amount zero or more; use {@link #set} to go backwards
   * @return the new instant
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException(
          "advance() moves forward only, got " + amount + "; use set() to move the clock backwards");
    }
    return now.updateAndGet(current -> current.plus(amount));
  }

  /**
   * Sets the clock to an instant, earlier or later than the current one.
   *
   * @param instant the instant the clock reports from now on
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /** @return the instant the clock is set to */
  @Override
  public Instant instant() {
    return now.get();
  }

  /** @return the zone, UTC unless {@link #withZone} was used */
  @Override
  public ZoneId getZone() {
    return zone;
  }

  /**
   * @param zone the zone of the returned clock
   * @return a clock in {@code zone} that shares this clock's time: moving either moves both
   */
  @Override
  public ManualClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(this.zone) ? this : new ManualClock(now, zone);
  }

  /** Two manual clocks are equal when they share the same time source and zone. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ManualClock that && that.now == now && that.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(now) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + "," + zone + "]";
  }
}
