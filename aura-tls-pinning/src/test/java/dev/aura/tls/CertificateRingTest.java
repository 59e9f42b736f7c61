package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateRingTest {
  private static final Instant ROTATED_AT = Fixtures.T0.plus(Duration.ofDays(100));
  private final ManualClock clock = new ManualClock(ROTATED_AT);
  private final TlsIdentity a = Fixtures.identity("mothership-a");
  private final TlsIdentity b = Fixtures.identity("mothership-b");

  @Test
  void of_hasOnlyTheCurrentCertificateAnd24HoursOfGrace() {
    CertificateRing ring = CertificateRing.of(a);

    assertThat(ring.grace()).isEqualTo(Duration.ofHours(24));
    assertThat(ring.acceptableFingerprints(ROTATED_AT)).containsExactly(a.fingerprint());
    assertThat(ring.handovers(ROTATED_AT)).isEmpty();
    assertThat(ring.handoverSequence()).isZero();
  }

  @Test
  void rotate_toTheCurrentCertificate_throws() {
    assertThatThrownBy(() -> CertificateRing.of(a).rotate(a, clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the new certificate is the current one");
  }

  @Test
  void rotate_dropsPreviousCertificatesWhoseGraceEnded() {
    CertificateRing once = CertificateRing.of(a).rotate(b, clock).ring();
    clock.advance(Duration.ofDays(2));

    CertificateRing twice = once.rotate(Fixtures.identity("mothership-c"), clock).ring();

    assertThat(twice.previous()).extracting(p -> p.identity().fingerprint()).containsExactly(b.fingerprint());
    assertThat(twice.handoverSequence()).isEqualTo(2);
  }

  @Test
  void builder_restoresAStoredRingWithItsHandover() throws Exception {
    CertificateRotation rotation = CertificateRing.of(a).rotate(b, clock);
    String stored = rotation.handover().compact();

    CertificateRing restored = CertificateRing.builder(b)
        .previous(a, PinHandover.verify(stored, PinSet.of(a.fingerprint()), clock)).build();

    assertThat(restored.acceptableFingerprints(ROTATED_AT)).containsExactly(b.fingerprint(), a.fingerprint());
    assertThat(restored.handoverSequence()).isEqualTo(1);
  }

  @Test
  void builder_keepsTheRestoredSequenceAfterEveryPreviousCertificateRetired() {
    CertificateRing restored = CertificateRing.builder(b).handoverSequence(7).build();

    assertThat(restored.rotate(a, clock).handover().sequence()).isEqualTo(8);
  }

  @Test
  void builder_withAHandoverThatDoesNotSucceedTheCertificate_throws() {
    PinHandover aToB = CertificateRing.of(a).rotate(b, clock).handover();

    assertThatThrownBy(() -> CertificateRing.builder(a).previous(b, aToB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handover from " + a.fingerprint() + " does not succeed certificate " + b.fingerprint());
  }

  @Test
  void builder_withGraceGivenTwiceOrNegative_throws() {
    assertThatThrownBy(() -> CertificateRing.builder(a).grace(Duration.ofHours(1)).grace(Duration.ofHours(2)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CertificateRing.builder(a).grace(Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
