package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HandshakeLimiterTest {
  private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-04-21T10:00:00Z"));
  private final HandshakeLimiter limiter = new HandshakeLimiter(3, clock);

  @Test
  void address_underTheLimit_mayTry() {
    limiter.failed("10.0.0.1");
    limiter.failed("10.0.0.1");
    assertThat(limiter.retryAfter("10.0.0.1")).isEmpty();
  }

  @Test
  void address_atTheLimit_waitsUntilItsOldestFailureIsAMinuteOld() {
    limiter.failed("10.0.0.1");
    clock.advance(Duration.ofSeconds(10));
    limiter.failed("10.0.0.1");
    limiter.failed("10.0.0.1");
    assertThat(limiter.retryAfter("10.0.0.1")).hasValue(Duration.ofSeconds(50));
    assertThat(limiter.retryAfter("10.0.0.2")).isEmpty();
    clock.advance(Duration.ofSeconds(50));
    assertThat(limiter.retryAfter("10.0.0.1")).isEmpty();
  }
}
