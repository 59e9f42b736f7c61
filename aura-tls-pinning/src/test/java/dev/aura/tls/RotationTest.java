package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.tls.TlsPinningException.Reason;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tls rotate} end to end with a manual clock: the Mothership rotates from A to B at R, A stays
 * acceptable until R + 24h. Peers connect over real TLS to a server presenting A or B.
 */
@Timeout(60)
class RotationTest {
  private static final Instant ROTATED_AT = Fixtures.T0.plus(Duration.ofDays(100));
  private static final Instant BEFORE = ROTATED_AT.minusSeconds(1);
  private static final Instant DURING = ROTATED_AT.plus(Duration.ofHours(12));
  private static final Instant GRACE_END = ROTATED_AT.plus(CertificateRing.DEFAULT_GRACE);
  private static final Instant ONE_SECOND_AFTER = GRACE_END.plusSeconds(1);

  private final ManualClock clock = new ManualClock(ROTATED_AT);
  private final TlsIdentity a = Fixtures.identity("mothership-a");
  private final TlsIdentity b = Fixtures.identity(ROTATED_AT, SelfSignedCertificateGenerator.DEFAULT_VALIDITY);
  private final PinSet joinedOnA = PinSet.of(a.fingerprint());
  private CertificateRotation rotation;
  private LoopbackTlsServer servingA;
  private LoopbackTlsServer servingB;

  @BeforeEach
  void rotateAndStartServers() throws Exception {
    rotation = CertificateRing.of(a).rotate(b, clock);
    servingA = LoopbackTlsServer.serving(a);
    servingB = LoopbackTlsServer.serving(b);
  }

  @AfterEach
  void stopServers() throws Exception {
    servingA.close();
    servingB.close();
  }

  private PinSet withHandoverApplied() throws TlsPinningException {
    return joinedOnA.apply(PinHandover.verify(rotation.handover().compact(), joinedOnA, clock));
  }

  private String connect(PinSet pins, LoopbackTlsServer server) throws Exception {
    return TlsTestClient.connect(TlsContexts.pinnedClient(pins, clock), server.port()).answer();
  }

  @Test
  void rotate_producesANewCertificateAndAHandoverFromOldToNew() {
    assertThat(rotation.identity()).isSameAs(b);
    assertThat(rotation.handover().from()).isEqualTo(a.fingerprint());
    assertThat(rotation.handover().to()).isEqualTo(b.fingerprint());
    assertThat(rotation.handover().retireAt()).isEqualTo(GRACE_END);
    assertThat(rotation.handover().sequence()).isEqualTo(1);
    assertThat(rotation.ring().previous()).extracting(p -> p.identity().fingerprint())
        .containsExactly(a.fingerprint());
  }

  @Test
  void beforeRotation_peerJoinedOnA_connectsToA() throws Exception {
    clock.set(BEFORE);

    assertThat(connect(joinedOnA, servingA)).isEqualTo("ok");
    assertThat(CertificateRing.of(a).acceptableFingerprints(BEFORE)).containsExactly(a.fingerprint());
  }

  @Test
  void beforeRotation_peerJoinedOnA_refusesB() {
    clock.set(BEFORE);

    assertThatThrownBy(() -> connect(joinedOnA, servingB)).isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("tls fingerprint mismatch: server presented " + b.fingerprint());
  }

  @Test
  void duringGrace_withHandoverApplied_peerConnectsToNewAndToOldCertificate() throws Exception {
    clock.set(DURING);
    PinSet pins = withHandoverApplied();

    assertThat(connect(pins, servingB)).isEqualTo("ok");
    assertThat(connect(pins, servingA)).isEqualTo("ok");
  }

  @Test
  void duringGrace_withoutHandover_peerRefusesNewCertificateNamingBoth() throws Exception {
    clock.set(DURING);

    assertThatThrownBy(() -> connect(joinedOnA, servingB)).isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("tls fingerprint mismatch: server presented " + b.fingerprint())
        .hasMessageContaining("pinned: " + a.fingerprint() + " (no retirement)");
    assertThat(connect(joinedOnA, servingA)).isEqualTo("ok");
  }

  @Test
  void oneSecondAfterGrace_withHandoverApplied_peerConnectsToNewAndRefusesOldAsRetired() throws Exception {
    clock.set(DURING);
    PinSet pins = withHandoverApplied();
    clock.set(ONE_SECOND_AFTER);

    assertThat(connect(pins, servingB)).isEqualTo("ok");
    assertThatThrownBy(() -> connect(pins, servingA)).isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("tls fingerprint mismatch: server presented " + a.fingerprint())
        .hasMessageContaining(a.fingerprint() + " (retired at " + GRACE_END + ")")
        .hasMessageContaining(b.fingerprint() + " (no retirement)");
  }

  @Test
  void atTheExactEndOfGrace_withHandoverApplied_oldCertificateIsAlreadyRefused() throws Exception {
    clock.set(DURING);
    PinSet pins = withHandoverApplied();
    clock.set(GRACE_END);

    assertThatThrownBy(() -> connect(pins, servingA)).isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("tls fingerprint mismatch");
    assertThat(connect(pins, servingB)).isEqualTo("ok");
  }

  @Test
  void oneSecondAfterGrace_withoutHandover_peerRefusesNewCertificate() {
    clock.set(ONE_SECOND_AFTER);

    assertThatThrownBy(() -> connect(joinedOnA, servingB)).isInstanceOf(SSLHandshakeException.class)
        .satisfies(e -> assertThat(TlsPinningException.reasonOf(e)).contains(Reason.FINGERPRINT_MISMATCH));
  }

  @Test
  void oneSecondAfterGrace_aHandoverFetchedLate_stillMovesThePinToTheNewCertificate() throws Exception {
    clock.set(ONE_SECOND_AFTER);
    PinSet pins = withHandoverApplied();

    assertThat(connect(pins, servingB)).isEqualTo("ok");
    assertThat(pins.accepts(a.fingerprint(), ONE_SECOND_AFTER)).isFalse();
  }

  @Test
  void ring_acceptsTheOldFingerprintForJoinTokensOnlyDuringGrace() {
    CertificateRing ring = rotation.ring();

    assertThat(ring.acceptableFingerprints(ROTATED_AT)).containsExactly(b.fingerprint(), a.fingerprint());
    assertThat(ring.acceptableFingerprints(DURING)).containsExactly(b.fingerprint(), a.fingerprint());
    assertThat(ring.acceptableFingerprints(GRACE_END.minusSeconds(1)))
        .containsExactly(b.fingerprint(), a.fingerprint());
    assertThat(ring.acceptableFingerprints(GRACE_END)).containsExactly(b.fingerprint());
    assertThat(ring.acceptableFingerprints(ONE_SECOND_AFTER)).containsExactly(b.fingerprint());
  }

  @Test
  void ring_offersTheHandoverToPeersOnlyDuringGrace() {
    assertThat(rotation.ring().handovers(DURING)).containsExactly(rotation.handover());
    assertThat(rotation.ring().handovers(ONE_SECOND_AFTER)).isEmpty();
  }

  @Test
  void twoRotations_peerPinnedToTheFirstAppliesBothHandoversInOrder() throws Exception {
    TlsIdentity c = Fixtures.identity(DURING, SelfSignedCertificateGenerator.DEFAULT_VALIDITY);
    clock.set(DURING);
    CertificateRotation second = rotation.ring().rotate(c, clock);

    PinSet pins = joinedOnA;
    for (PinHandover offered : second.ring().handovers(DURING)) {
      pins = pins.apply(PinHandover.verify(offered.compact(), pins, clock));
    }

    assertThat(second.handover().sequence()).isEqualTo(2);
    assertThat(pins.activeAt(DURING)).containsExactly(a.fingerprint(), b.fingerprint(), c.fingerprint());
    assertThat(pins.handoverSequence()).isEqualTo(2);
    assertThat(second.ring().acceptableFingerprints(DURING))
        .containsExactly(c.fingerprint(), b.fingerprint(), a.fingerprint());
  }

  @Test
  void graceSetToOneHour_retiresTheOldCertificateAfterOneHour() {
    clock.set(ROTATED_AT);
    CertificateRotation quick = CertificateRing.builder(a).grace(Duration.ofHours(1)).build().rotate(b, clock);

    assertThat(quick.handover().retireAt()).isEqualTo(ROTATED_AT.plus(Duration.ofHours(1)));
    assertThat(quick.ring().acceptableFingerprints(ROTATED_AT.plus(Duration.ofHours(1))))
        .containsExactly(b.fingerprint());
  }
}
