package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.tls.TlsPinningException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PinHandoverTest {
  private static final Instant ROTATED_AT = Fixtures.T0.plus(Duration.ofDays(100));
  private final ManualClock clock = new ManualClock(ROTATED_AT);
  private final TlsIdentity a = Fixtures.identity("mothership-a");
  private final TlsIdentity b = Fixtures.identity("mothership-b");
  private final TlsIdentity attacker = Fixtures.identity("attacker");
  private final PinSet pinnedToA = PinSet.of(a.fingerprint());

  private PinHandover handover(TlsIdentity from, TlsIdentity to, long sequence) {
    return PinHandover.sign(from, to.fingerprint(), ROTATED_AT.plus(Duration.ofHours(24)), ROTATED_AT,
        sequence);
  }

  private static String header(String compact) {
    return new String(Base64.getUrlDecoder().decode(compact.split("\\.")[0]), StandardCharsets.US_ASCII);
  }

  private static String payload(String compact) {
    return new String(Base64.getUrlDecoder().decode(compact.split("\\.")[1]), StandardCharsets.US_ASCII);
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void handover_isACompactJwsWithItsOwnTypAndEs256() {
    String compact = handover(a, b, 1).compact();

    assertThat(header(compact)).startsWith("{\"alg\":\"ES256\",\"typ\":\"aura-pin-handover+jwt\",\"x5c\":[");
    assertThat(payload(compact)).isEqualTo("{\"from\":\"" + a.fingerprint() + "\",\"to\":\"" + b.fingerprint()
        + "\",\"retire_at\":" + ROTATED_AT.plus(Duration.ofHours(24)).getEpochSecond() + ",\"iat\":"
        + ROTATED_AT.getEpochSecond() + ",\"seq\":1}");
    assertThat(Base64.getUrlDecoder().decode(compact.split("\\.")[2])).hasSize(64);
  }

  @Test
  void verify_withHandoverSignedByThePinnedCertificate_returnsItsStatement() throws Exception {
    PinHandover verified = PinHandover.verify(handover(a, b, 1).compact(), pinnedToA, clock);

    assertThat(verified.from()).isEqualTo(a.fingerprint());
    assertThat(verified.to()).isEqualTo(b.fingerprint());
    assertThat(verified.retireAt()).isEqualTo(ROTATED_AT.plus(Duration.ofHours(24)));
    assertThat(verified.issuedAt()).isEqualTo(ROTATED_AT);
    assertThat(verified.sequence()).isEqualTo(1);
  }

  @Test
  void verify_withHandoverSignedByTheWrongKey_isRefusedAsInvalidSignature() {
    String genuine = handover(a, b, 1).compact();
    String signedByAttacker = handover(attacker, b, 1).compact();
    // A's certificate and statement, the attacker's signature.
    String forged = genuine.substring(0, genuine.lastIndexOf('.'))
        + signedByAttacker.substring(signedByAttacker.lastIndexOf('.'));

    assertThatThrownBy(() -> PinHandover.verify(forged, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_INVALID_SIGNATURE)
        .hasMessage("tls pin handover invalid signature: signature does not verify with the key of certificate "
            + a.fingerprint() + " (subject CN=mothership-a)");
  }

  @Test
  void verify_withHandoverSignedByAnUnpinnedCertificate_isRefusedAsOutOfOrder() {
    String signedByAttacker = handover(attacker, b, 1).compact();

    assertThatThrownBy(() -> PinHandover.verify(signedByAttacker, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_OUT_OF_ORDER)
        .hasMessageStartingWith("tls pin handover out of order: signed by certificate " + attacker.fingerprint()
            + " (subject CN=attacker), which is not pinned; pinned: " + a.fingerprint());
  }

  @Test
  void verify_withForgedPayload_isRefusedAsInvalidSignature() {
    String genuine = handover(a, b, 1).compact();
    String[] parts = genuine.split("\\.");
    String redirected = payload(genuine).replace(b.fingerprint().toString(), attacker.fingerprint().toString());
    String forged = parts[0] + "." + encode(redirected) + "." + parts[2];

    assertThatThrownBy(() -> PinHandover.verify(forged, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_INVALID_SIGNATURE);
  }

  @Test
  void verify_withoutSignature_isRefusedAsUnsigned() {
    String genuine = handover(a, b, 1).compact();
    String unsigned = genuine.substring(0, genuine.lastIndexOf('.') + 1);

    assertThatThrownBy(() -> PinHandover.verify(unsigned, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_UNSIGNED)
        .hasMessageStartingWith("tls pin handover unsigned");
  }

  @Test
  void verify_withAlgNone_isRefusedAsUnsignedBeforeAnySignatureCode() {
    String genuine = handover(a, b, 1).compact();
    String[] parts = genuine.split("\\.");
    String none = encode(header(genuine).replace("\"ES256\"", "\"none\"")) + "." + parts[1] + ".";

    assertThatThrownBy(() -> PinHandover.verify(none, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_UNSIGNED);
  }

  @Test
  void verify_withAnotherTyp_isRefusedAsMalformed() {
    String genuine = handover(a, b, 1).compact();
    String[] parts = genuine.split("\\.");
    String joinToken = encode(header(genuine).replace("aura-pin-handover+jwt", "JWT")) + "." + parts[1] + "."
        + parts[2];

    assertThatThrownBy(() -> PinHandover.verify(joinToken, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_MALFORMED)
        .hasMessage("tls pin handover malformed: wrong token type: expected aura-pin-handover+jwt, found JWT");
  }

  @Test
  void verify_withAnotherAlg_isRefusedAsMalformed() {
    String genuine = handover(a, b, 1).compact();
    String[] parts = genuine.split("\\.");
    String hs256 = encode(header(genuine).replace("ES256", "HS256")) + "." + parts[1] + "." + parts[2];

    assertThatThrownBy(() -> PinHandover.verify(hs256, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_MALFORMED)
        .hasMessage("tls pin handover malformed: algorithm 'HS256' is never accepted for aura-pin-handover+jwt"
            + " (expected ES256)");
  }

  @Test
  void verify_withGarbage_isRefusedAsMalformed() {
    assertThatThrownBy(() -> PinHandover.verify("not a handover", pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_MALFORMED)
        .hasMessage("tls pin handover malformed: token contains whitespace at position 4");
    assertThatThrownBy(() -> PinHandover.verify("notAHandover", pinnedToA, clock))
        .hasMessage("tls pin handover malformed: token has 1 segments, expected 3 (header.payload.signature)");
    assertThatThrownBy(() -> PinHandover.verify("", pinnedToA, clock))
        .hasMessage("tls pin handover malformed: token is empty");
    assertThatThrownBy(() -> PinHandover.verify("x".repeat(PinHandover.MAX_LENGTH + 1), pinnedToA, clock))
        .hasMessageContaining("8193 characters, over the 8192 cap");
  }

  @Test
  void verify_withPaddedBase64_isRefusedAsMalformed() {
    String genuine = handover(a, b, 1).compact();
    String[] parts = genuine.split("\\.");
    String padded = parts[0] + "=." + parts[1] + "." + parts[2];

    assertThatThrownBy(() -> PinHandover.verify(padded, pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_MALFORMED);
  }

  @Test
  void verify_withHandoverWhoseSignerPinHasRetired_isRefusedAsOutOfOrder() {
    PinSet retiring = PinSet.builder().pin(a.fingerprint(), ROTATED_AT).pin(b.fingerprint()).build();

    assertThatThrownBy(() -> PinHandover.verify(handover(a, b, 1).compact(), retiring, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_OUT_OF_ORDER)
        .hasMessageContaining("which is pinned but retired at " + ROTATED_AT);
  }

  @Test
  void verify_withReplayedHandover_isRefusedAsOutOfOrder() throws Exception {
    String compact = handover(a, b, 1).compact();
    PinSet applied = pinnedToA.apply(PinHandover.verify(compact, pinnedToA, clock));

    assertThatThrownBy(() -> PinHandover.verify(compact, applied, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_OUT_OF_ORDER)
        .hasMessage("tls pin handover out of order: handover sequence 1 is not after the last applied"
            + " sequence 1 (an older or replayed handover)");
  }

  @Test
  void verify_withOlderSequenceThanTheLastApplied_isRefusedAsOutOfOrder() {
    PinSet alreadyAtFive = PinSet.builder().pin(a.fingerprint()).handoverSequence(5).build();

    assertThatThrownBy(() -> PinHandover.verify(handover(a, b, 4).compact(), alreadyAtFive, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_OUT_OF_ORDER);
  }

  @Test
  void verify_withHandoverFromACertificateTheServerLeftTwoRotationsAgo_isRefusedWhenThatPinIsGone()
      throws Exception {
    TlsIdentity c = Fixtures.identity("mothership-c");
    // The peer skipped A -> B and only knows A; B -> C is out of order for it.
    assertThatThrownBy(() -> PinHandover.verify(handover(b, c, 2).compact(), pinnedToA, clock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_OUT_OF_ORDER);
  }

  @Test
  void apply_retiresTheOldPinAndPinsTheSuccessor() throws Exception {
    PinSet next = pinnedToA.apply(PinHandover.verify(handover(a, b, 1).compact(), pinnedToA, clock));

    assertThat(next.pins()).containsExactly(
        new Pin(a.fingerprint(), java.util.Optional.of(ROTATED_AT.plus(Duration.ofHours(24)))),
        Pin.of(b.fingerprint()));
    assertThat(next.handoverSequence()).isEqualTo(1);
    assertThat(pinnedToA.pins()).containsExactly(Pin.of(a.fingerprint()));
  }

  @Test
  void apply_toAPinSetThatDoesNotPinTheOldCertificate_isRefusedAsOutOfOrder() throws Exception {
    PinHandover verified = PinHandover.verify(handover(a, b, 1).compact(), pinnedToA, clock);
    PinSet other = PinSet.of(attacker.fingerprint());

    assertThatThrownBy(() -> other.apply(verified))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.HANDOVER_OUT_OF_ORDER)
        .hasMessageContaining("handover from " + a.fingerprint() + ", which is not pinned");
  }

  @Test
  void sign_withAnRsaKey_isRefusedBecauseHandoversAreEs256() throws Exception {
    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    java.security.KeyPair pair = rsa.generateKeyPair();
    TlsIdentity rsaIdentity = TestCertificates.selfSigned(pair, Fixtures.T0);

    assertThatThrownBy(() -> CertificateRing.of(rsaIdentity).rotate(b, clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs an EC P-256 key")
        .hasMessageContaining("peers must repin");
  }
}
