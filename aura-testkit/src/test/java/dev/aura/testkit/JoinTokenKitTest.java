package dev.aura.testkit;

import static dev.aura.testkit.AuraAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.token.RejectionReason;
import dev.aura.token.SigningAlgorithm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JoinTokenKitTest {
  @Test
  void validToken_isAdmittedOnce_thenRejectedAsAlreadyUsed() throws Exception {
    JoinTokenKit kit = JoinTokenKit.create();
    String token = kit.validToken();

    assertThat(kit.validator().tryAdmit(token)).isAccepted().hasSubject("alice@example.com");
    assertThat(kit.validator().tryAdmit(token)).isRejectedWith(RejectionReason.ALREADY_USED)
        .hasMessageContaining("was already used");
  }

  @ParameterizedTest
  @EnumSource(Breakage.class)
  void everyNamedBreakage_isRejectedWithItsReason_onEd25519(Breakage breakage) {
    JoinTokenKit kit = JoinTokenKit.create();

    assertThat(kit.validator().tryVerify(kit.token(breakage))).isRejectedWith(breakage.expectedReason());
  }

  @ParameterizedTest
  @EnumSource(Breakage.class)
  void everyNamedBreakage_isRejectedWithItsReason_onEs256(Breakage breakage) {
    JoinTokenKit kit = JoinTokenKit.create(SigningAlgorithm.ES256);

    assertThat(kit.validator().tryVerify(kit.token(breakage))).isRejectedWith(breakage.expectedReason());
  }

  @Test
  void manualClock_drivesExpiry() throws Exception {
    JoinTokenKit kit = JoinTokenKit.create();
    String token = kit.validToken();

    kit.clock().advance(Duration.ofHours(24).plusSeconds(61));

    assertThat(kit.validator().tryAdmit(token)).isRejectedWith(RejectionReason.EXPIRED);
  }

  @Test
  void assertions_failWithAClearMessage() {
    JoinTokenKit kit = JoinTokenKit.create();
    String token = kit.validToken();

    assertThatThrownBy(() -> assertThat(kit.validator().tryVerify(token)).isRejectedWith(RejectionReason.EXPIRED))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Expected a rejection with <expired> but the token was accepted");
    assertThatThrownBy(() -> assertThat(kit.validator().tryVerify(kit.token(Breakage.EXPIRED))).isAccepted())
        .isInstanceOf(AssertionError.class).hasMessageContaining("token expired");
  }
}
