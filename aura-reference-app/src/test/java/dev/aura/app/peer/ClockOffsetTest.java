package dev.aura.app.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClockOffsetTest {
  private static final Instant T0 = Instant.parse("2026-04-21T10:00:00Z");
  private static final Duration NS = Duration.ofNanos(1);

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void ntp_withKnownTimestamps_givesThetaAndHalfTheDelay() {
    // Server 5 s ahead; 100 ms out, 300 ms held, 200 ms back (client times 0 and 600).
    ClockOffset o = ClockOffset.ntp(at(0), at(5_100), at(5_400), at(600), Duration.ZERO);
    assertThat(o.estimate()).isEqualTo(Duration.ofMillis(4_950)); // (5100 + (5400 - 600)) / 2
    assertThat(o.uncertainty()).isEqualTo(Duration.ofMillis(150)); // ((600 - 0) - (5400 - 5100)) / 2
    assertThat(o.estimate().minus(o.uncertainty())).isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(o.estimate().plus(o.uncertainty())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void ntp_withServerHoldingTheRequestThreeSeconds_isNotFooledByTheHold() {
    // Same clock; 10 ms each way, 3 s inside the server: the old midpoint estimate says +1.5s.
    ClockOffset ntp = ClockOffset.ntp(at(0), at(10), at(3_010), at(3_020), NS);
    assertThat(ntp.estimate()).isEqualTo(Duration.ZERO);
    assertThat(ntp.uncertainty()).isEqualTo(Duration.ofMillis(10).plus(NS));
    assertThat(ntp.toString()).isEqualTo("+0.0s ± 0.1s");
    ClockOffset old = ClockOffset.midpoint(at(0), at(3_010), Duration.ofMillis(3_020), NS);
    assertThat(old.estimate()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(old.uncertainty()).isEqualTo(Duration.ofMillis(1_510).plus(NS));
    assertThat(old.atLeast()).isZero(); // even the fallback's bound contains the truth
  }

  @Test
  void ntp_withClientClockSteppedBack_hasNonNegativeUncertaintyCoveringTheStep() {
    // t4 before t1: the client's clock went back 2 s during a 100 ms exchange with a same-clock server.
    ClockOffset o = ClockOffset.ntp(at(0), at(50), at(50), at(-1_900), Duration.ZERO);
    assertThat(o.uncertainty().isNegative()).isFalse();
    assertThat(o.estimate()).isEqualTo(Duration.ofMillis(1_000)); // ((50 - 0) + (50 + 1900)) / 2
    assertThat(o.uncertainty()).isEqualTo(Duration.ofMillis(950)); // |(-1900 - 0) - 0| / 2
    assertThat(o.surelyBeyond(Duration.ofSeconds(60))).isFalse();
  }

  @Test
  void ntp_withServerClockSteppedBack_hasNonNegativeUncertainty() {
    ClockOffset o = ClockOffset.ntp(at(0), at(500), at(100), at(200), Duration.ZERO);
    assertThat(o.uncertainty()).isEqualTo(Duration.ofMillis(300)); // (200 - (-400)) / 2
    assertThat(o.estimate()).isEqualTo(Duration.ofMillis(200)); // (500 + (-100)) / 2
  }

  @Test
  void surelyBeyond_usesTheNearestEndOfTheBound() {
    assertThat(new ClockOffset(Duration.ofSeconds(75), Duration.ofSeconds(10)).surelyBeyond(Duration.ofSeconds(60)))
        .isTrue();
    assertThat(new ClockOffset(Duration.ofSeconds(-75), Duration.ofSeconds(10)).surelyBeyond(Duration.ofSeconds(60)))
        .isTrue();
    assertThat(new ClockOffset(Duration.ofSeconds(75), Duration.ofSeconds(15)).surelyBeyond(Duration.ofSeconds(60)))
        .isFalse(); // exactly 60 s at the nearest end: not over
    assertThat(new ClockOffset(Duration.ofSeconds(-2), Duration.ofSeconds(3)).atLeast()).isZero();
    assertThat(new ClockOffset(Duration.ofSeconds(-75), Duration.ofMillis(100)).atLeastText()).isEqualTo("74.9s");
  }

  @Test
  void toString_signsTheEstimateAndRoundsTheUncertaintyUp() {
    assertThat(new ClockOffset(Duration.ZERO, Duration.ofMillis(400)).toString()).isEqualTo("+0.0s ± 0.4s");
    assertThat(new ClockOffset(Duration.ofSeconds(-75), Duration.ofMillis(1)).toString())
        .isEqualTo("-75.0s ± 0.1s");
    assertThat(new ClockOffset(Duration.ofMillis(200), Duration.ZERO).toString()).isEqualTo("+0.2s ± 0.0s");
    assertThat(new ClockOffset(Duration.ofMillis(200), Duration.ofMillis(1_200)).toString())
        .isEqualTo("+0.2s ± 1.2s");
  }

  @Test
  void negativeUncertainty_isRejected() {
    assertThatThrownBy(() -> new ClockOffset(Duration.ZERO, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reply_withReceivedAndSentAt_usesNtp() {
    ObjectNode body = Wire.object();
    body.put("server_time", at(3_010).toString());
    body.put("server_received_at", at(10).toString());
    body.put("server_sent_at", at(3_010).toString());
    MothershipClient.Reply reply = new MothershipClient.Reply(200, body, at(0), Duration.ofMillis(3_020));
    assertThat(reply.t4()).isEqualTo(at(3_020));
    // Whole seconds and milliseconds on the wire: the resolution is 1 ms.
    assertThat(reply.clockOffset()).contains(new ClockOffset(Duration.ZERO, Duration.ofMillis(11)));
  }

  @Test
  void reply_fromAnOlderMothership_fallsBackToTheMidpointWithHalfTheRoundTrip() {
    ObjectNode body = Wire.object();
    body.put("server_time", "2026-04-21T10:00:03.010123Z");
    MothershipClient.Reply reply = new MothershipClient.Reply(200, body, at(0), Duration.ofMillis(3_020));
    assertThat(reply.clockOffset()).contains(new ClockOffset(Duration.ofMillis(1_500).plusNanos(123_000),
        Duration.ofMillis(1_510).plusNanos(1_000)));
  }

  @Test
  void reply_withoutServerTime_hasNoOffset() {
    MothershipClient.Reply reply = new MothershipClient.Reply(200, Wire.object(), at(0), Duration.ofMillis(5));
    assertThat(reply.clockOffset()).isEqualTo(Optional.empty());
  }
}
