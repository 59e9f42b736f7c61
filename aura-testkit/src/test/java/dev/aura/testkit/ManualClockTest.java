package dev.aura.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.testkit.contract.Race;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");

  @Test
  void newClock_reportsItsStartInUtcUntilMoved() {
    ManualClock clock = ManualClock.startingAt(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advance_movesForwardByExactlyTheAmountAndReturnsTheNewInstant() {
    ManualClock clock = new ManualClock(START);

    Instant after = clock.advance(Duration.ofMinutes(5).plusNanos(1));

    assertThat(after).isEqualTo(START.plusSeconds(300).plusNanos(1));
    assertThat(clock.instant()).isEqualTo(after);
  }

  @Test
  void advance_byZero_leavesTheClockWhereItWas() {
    ManualClock clock = new ManualClock(START);

    assertThat(clock.advance(Duration.ZERO)).isEqualTo(START);
  }

  @Test
  void advance_byANegativeAmount_isRefusedPointingToSet() {
    ManualClock clock = new ManualClock(START);

    assertThatIllegalArgumentException().isThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .withMessage("advance() moves forward only, got PT-1S; use set() to move the clock backwards");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void set_mayMoveTheClockBackwards() {
    ManualClock clock = new ManualClock(START);

    clock.set(START.minusSeconds(90));

    assertThat(clock.instant()).isEqualTo(START.minusSeconds(90));
  }

  @Test
  void withZone_sharesTheTimeSourceBothWays() {
    ManualClock utc = new ManualClock(START);
    ZoneId paris = ZoneId.of("Europe/Paris");
    ManualClock inParis = utc.withZone(paris);

    utc.advance(Duration.ofHours(1));
    assertThat(inParis.instant()).isEqualTo(START.plusSeconds(3600));
    inParis.set(START.minusSeconds(1));
    assertThat(utc.instant()).isEqualTo(START.minusSeconds(1));

    assertThat(inParis.getZone()).isEqualTo(paris);
    assertThat(ZonedDateTime.now(inParis).getZone()).isEqualTo(paris);
    assertThat(ZonedDateTime.now(inParis).toInstant()).isEqualTo(START.minusSeconds(1));
  }

  @Test
  void equals_holdsForClocksSharingTimeAndZoneOnly() {
    ManualClock clock = new ManualClock(START);
    Clock sameSource = clock.withZone(ZoneId.of("Europe/Paris")).withZone(ZoneOffset.UTC);

    assertThat(sameSource).isEqualTo(clock).hasSameHashCodeAs(clock);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    assertThat(new ManualClock(START)).as("another time source").isNotEqualTo(clock);
    assertThat(clock.withZone(ZoneId.of("Europe/Paris"))).as("another zone").isNotEqualTo(clock);
  }

  @Test
  void advance_from8ThreadsAtOnce_losesNoStep() {
    ManualClock clock = new ManualClock(START);

    Race.run(8, i -> {
      for (int step = 0; step < 1000; step++) {
        clock.advance(Duration.ofNanos(1));
      }
      return null;
    });

    assertThat(clock.instant()).isEqualTo(START.plusNanos(8000));
  }

  @Test
  void nullArguments_areRefused() {
    ManualClock clock = new ManualClock(START);

    assertThatNullPointerException().isThrownBy(() -> new ManualClock(null));
    assertThatNullPointerException().isThrownBy(() -> clock.advance(null));
    assertThatNullPointerException().isThrownBy(() -> clock.set(null));
    assertThatNullPointerException().isThrownBy(() -> clock.withZone(null));
  }

  @Test
  void toString_showsTheInstantAndZone() {
    assertThat(new ManualClock(START)).hasToString("ManualClock[2025-01-15T10:00:00Z,Z]");
  }
}
