package dev.aura.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Jti;
import dev.aura.token.RejectionReason;
import dev.aura.token.RevocationCheck;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenRejectedException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pieces the benchmarks rely on to measure a real, succeeding path. */
class FixtureSanityTest {
  private final TokenFixture fixture = TokenFixture.create(SigningAlgorithm.EDDSA);

  @Test
  void revocationCheck_withTheTokensJti_refusesItAsRevoked() {
    var validator = fixture.validator(HashSetRevocationCheck.of(Set.of(new Jti(fixture.jti))));

    assertThatThrownBy(() -> validator.verify(fixture.token))
        .isInstanceOfSatisfying(TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED));
  }

  @Test
  void revocationCheck_withThousandRandomJtis_holdsThemAndMissesTheBenchmarkToken() throws Exception {
    HashSetRevocationCheck check = HashSetRevocationCheck.withRandomJtis(1_000);

    assertThat(check.contains(new Jti(fixture.jti))).isFalse();
    assertThat(fixture.validator(check).verify(fixture.token).jti().value()).isEqualTo(fixture.jti);
  }

  @Test
  void tamperedToken_isRefusedAsInvalidSignature() {
    var validator = fixture.validator(RevocationCheck.none());

    assertThatThrownBy(() -> validator.verify(fixture.tampered))
        .isInstanceOfSatisfying(TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_SIGNATURE));
  }

  @Test
  void mustAccept_whenTheCheckReturnsFalse_failsNamingTheLibrary() {
    assertThatThrownBy(() -> Sanity.mustAccept("libX", () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("libX refused the token");
  }

  @Test
  void mustAccept_whenTheCheckThrows_failsNamingTheLibrary() {
    assertThatThrownBy(() -> Sanity.mustAccept("libX", () -> {
      throw new IllegalArgumentException("bad");
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("libX refused the token");
  }

  @Test
  void mustRefuse_whenTheVerifierAcceptsATamperedToken_fails() {
    assertThatThrownBy(() -> Sanity.mustRefuse("libX", () -> "claims"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("libX accepted a token with a tampered signature");
  }

  @Test
  void mustRefuse_whenTheVerifierThrowsOrReturnsFalse_passes() {
    assertThatCode(() -> Sanity.mustRefuse("libX", () -> false)).doesNotThrowAnyException();
    assertThatCode(() -> Sanity.mustRefuse("libX", () -> {
      throw new IllegalStateException("refused");
    })).doesNotThrowAnyException();
  }
}
