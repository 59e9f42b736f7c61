package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Fingerprint;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PinSetTest {
  private static final Instant RETIRE = Instant.parse("2026-04-22T10:00:00Z");
  private final Fingerprint a = Fixtures.identity().fingerprint();
  private final Fingerprint b = Fixtures.identity().fingerprint();

  @Test
  void build_withNoPin_throws() {
    assertThatThrownBy(() -> PinSet.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("a pin set needs at least one pinned fingerprint");
  }

  @Test
  void build_withTheSameFingerprintTwice_throws() {
    assertThatThrownBy(() -> PinSet.builder().pin(a).pin(a, RETIRE).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("fingerprint " + a + " is pinned twice");
  }

  @Test
  void accepts_aRetiringPinStrictlyBeforeItsRetireAt() {
    PinSet pins = PinSet.builder().pin(a, RETIRE).pin(b).build();

    assertThat(pins.accepts(a, RETIRE.minusSeconds(1))).isTrue();
    assertThat(pins.accepts(a, RETIRE)).isFalse();
    assertThat(pins.accepts(b, RETIRE.plusSeconds(86_400 * 365L))).isTrue();
    assertThat(pins.activeAt(RETIRE)).containsExactly(b);
  }

  @Test
  void accepts_anUnpinnedFingerprint_isFalse() {
    assertThat(PinSet.of(a).accepts(b, RETIRE)).isFalse();
  }

  @Test
  void describe_showsEachPinsWindowAtTheGivenInstant() {
    PinSet pins = PinSet.builder().pin(a, RETIRE).pin(b).build();

    assertThat(pins.describe(RETIRE.minusSeconds(1)))
        .isEqualTo(a + " (retires " + RETIRE + "), " + b + " (no retirement)");
    assertThat(pins.describe(RETIRE)).isEqualTo(a + " (retired at " + RETIRE + "), " + b + " (no retirement)");
  }

  @Test
  void pins_cannotBeModified() {
    PinSet pins = PinSet.of(a);

    assertThatThrownBy(() -> pins.pins().add(Pin.of(b))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builder_withNegativeOrRepeatedSequence_throws() {
    assertThatThrownBy(() -> PinSet.builder().handoverSequence(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PinSet.builder().handoverSequence(1).handoverSequence(2))
        .isInstanceOf(IllegalStateException.class);
  }
}
