package dev.aura.app.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How far the Mothership's clock is from this one (positive: the Mothership's is ahead), with the bound
 * of the measurement: the true offset lies within {@code estimate ± uncertainty}.
 *
 * <p>Measured as NTP does (RFC 5905 section 8): the client notes when it sent the request ({@code t1}) and
 * received the answer ({@code t4}) by its clock, the server when it received the request ({@code t2}) and
 * sent the answer ({@code t3}) by its own. Then the offset is {@code θ = ((t2 − t1) + (t3 − t4)) / 2}, the
 * time on the wire is {@code δ = (t4 − t1) − (t3 − t2)}, and the error of {@code θ} is at most {@code δ / 2}
 * (plus the resolution of the server's timestamps), however long the server held the request.
 *
 * <pre>{@code
 * ClockOffset offset = ClockOffset.ntp(t1, t2, t3, t4, Duration.ofNanos(1));
 * offset.toString();                            // "+0.0s ± 0.4s"
 * offset.surelyBeyond(Duration.ofSeconds(60));  // true only if even the bound's nearest end is past 60s
 * }</pre>
 *
 * <p><b>Warning:</b> the estimate alone can be far from the truth under load (a round trip of seconds);
 * decide on {@link #surelyBeyond}, never on {@link #estimate()} alone.
 *
 * @param estimate the best estimate of the Mothership's clock minus this one
 * @param uncertainty zero or more: the true offset is within {@code estimate ± uncertainty}
 */
public record ClockOffset(Duration estimate, Duration uncertainty) {
  /** Checks the fields. */
  public ClockOffset {
    Objects.requireNonNull(estimate, "estimate");
    Objects.requireNonNull(uncertainty, "uncertainty");
    if (uncertainty.isNegative()) {
      throw new IllegalArgumentException("uncertainty must be zero or more, got " + uncertainty);
    }
  }

  /**
   * The NTP offset from the four timestamps of one exchange.
   *
   * <p>If a clock stepped during the exchange ({@code t4} before {@code t1}, or {@code t3} before
   * {@code t2}), {@code δ} can come out negative; its magnitude is then taken as the uncertainty, so a
   * stepped clock widens the bound instead of claiming a precision the exchange does not have.
   *
   * @param t1 the client sent the request, by the client's clock
   * @param t2 the server received it, by the server's clock
   * @param t3 the server sent the answer, by the server's clock
   * @param t4 the client received the answer, by the client's clock
   * @param resolution how coarse the server's timestamps are (added to the uncertainty), zero or more
   */
  public static ClockOffset ntp(Instant t1, Instant t2, Instant t3, Instant t4, Duration resolution) {
    Duration theta = Duration.between(t1, t2).plus(Duration.between(t4, t3)).dividedBy(2);
    Duration delay = Duration.between(t1, t4).minus(Duration.between(t2, t3));
    return new ClockOffset(theta, delay.abs().dividedBy(2).plus(resolution.abs()));
  }

  /**
   * The estimate of a server that reports one time only (an older Mothership): its time is assumed to be
   * taken half-way through the round trip, so the uncertainty is half the round trip.
   *
   * @param t1 the client sent the request, by the client's clock
   * @param serverTime the server's time, taken at an unknown point while it held the request
   * @param roundTrip how long the exchange took, by the client
   * @param resolution how coarse the server's timestamp is, zero or more
   */
  public static ClockOffset midpoint(Instant t1, Instant serverTime, Duration roundTrip, Duration resolution) {
    Duration half = roundTrip.abs().dividedBy(2);
    return new ClockOffset(Duration.between(t1.plus(half), serverTime), half.plus(resolution.abs()));
  }

  /**
   * @return the smallest magnitude the true offset can have: {@code |estimate| − uncertainty}, or zero when
   *     the bound contains zero
   */
  public Duration atLeast() {
    Duration least = estimate.abs().minus(uncertainty);
    return least.isNegative() ? Duration.ZERO : least;
  }

  /** @return whether the true offset is beyond {@code limit} even at the nearest end of the bound */
  public boolean surelyBeyond(Duration limit) {
    return atLeast().compareTo(limit) > 0;
  }

  /**
   * @return {@code +0.0s ± 0.4s}: the estimate signed and rounded to a tenth of a second, the uncertainty
   *     rounded up to the next tenth (so that a non-zero uncertainty never prints as {@code ± 0.0s})
   */
  @Override
  public String toString() {
    return signed(estimate) + " ± " + String.format(Locale.ROOT, "%.1fs", tenthsUp(uncertainty) / 10.0);
  }

  /** @return the estimate as {@code +75.0s} or {@code -0.2s} */
  public static String signed(Duration d) {
    double seconds = d.toMillis() / 1000.0;
    return (seconds >= 0 ? "+" : "") + String.format(Locale.ROOT, "%.1fs", seconds);
  }

  /** @return {@link #atLeast()} as {@code 74.9s} */
  public String atLeastText() {
    return String.format(Locale.ROOT, "%.1fs", atLeast().toMillis() / 1000.0);
  }

  /** @return the uncertainty in seconds, as a number for JSON */
  public double uncertaintySeconds() {
    return uncertainty.toNanos() / 1e9;
  }

  /** @return the estimate in seconds, as a number for JSON */
  public double estimateSeconds() {
    return estimate.toNanos() / 1e9;
  }

  private static long tenthsUp(Duration d) {
    long nanos = d.toNanos();
    long tenth = 100_000_000L;
    return nanos / tenth + (nanos % tenth == 0 ? 0 : 1);
  }
}
