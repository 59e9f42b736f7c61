package dev.aura.app.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.MothershipId;
import dev.aura.testkit.InMemoryStores;
import dev.aura.testkit.ManualClock;
import dev.aura.token.KeyRing;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The release manifest's signature: the token core's typed JWS, never accepted as another type or issuer. */
class ReleaseManifestTest {
  private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-12-01T10:00:00Z"));
  private final KeyRing ring;
  private final MothershipId id = MothershipId.parse("mship_7fcd21a9");
  private final ReleaseArchive.Info info = new ReleaseArchive.Info(Path.of("/srv/aura-0.13.0.tar.gz"),
      "aura-0.13.0", ReleaseVersion.parse("0.13.0"), 2, "ab".repeat(32), 1234, 5678);

  ReleaseManifestTest() throws Exception {
    ring = KeyRing.builder().store(InMemoryStores.create().signingKeyStore()).clock(clock).open();
  }

  @Test
  void aSignedManifest_verifiesWithTheRingsPublicKeys_andCarriesTheArchive() throws Exception {
    String jws = ReleaseManifest.sign(ring, id, info, 2, clock.instant());
    ReleaseManifest m = ReleaseManifest.verify(jws, ring.publicKeys(), id, clock.instant());
    assertThat(m).isEqualTo(new ReleaseManifest(id, ReleaseVersion.parse("0.13.0"), 2, 2, "ab".repeat(32), 1234,
        5678, "aura-0.13.0.tar.gz", clock.instant()));
  }

  @Test
  void aManifestOfAnotherMothership_isRefusedAsWrongIssuer() {
    String jws = ReleaseManifest.sign(ring, MothershipId.parse("mship_00000000"), info, 2, clock.instant());
    assertThatThrownBy(() -> ReleaseManifest.verify(jws, ring.publicKeys(), id, clock.instant()))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.reason()).isEqualTo(ReleaseException.Reason.BAD_SIGNATURE);
          assertThat(e.getMessage()).isEqualTo("release signature invalid: wrong issuer: signed by mship_00000000,"
              + " this peer joined mship_7fcd21a9");
        });
  }

  @Test
  void anotherTokenType_isNeverAReleaseManifest_norTheOtherWayRound() {
    String head = TypedJws.sign(ring, TokenType.AUDIT_HEAD, Map.of("iss", id.value(), "seq", 1L));
    assertThatThrownBy(() -> ReleaseManifest.verify(head, ring.publicKeys(), id, clock.instant()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.detail()).startsWith("wrong token type"));
    String manifest = ReleaseManifest.sign(ring, id, info, 2, clock.instant());
    assertThatThrownBy(() -> TypedJws.verify(manifest, TokenType.AUDIT_HEAD, ring.publicKeys(),
        TypedJws.DEFAULT_ALGORITHMS, clock.instant()))
        .isInstanceOfSatisfying(TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.WRONG_TYPE));
  }

  @Test
  void aManifestSignedByAnotherRing_isRefusedAsInvalidSignature() throws Exception {
    KeyRing other = KeyRing.builder().store(InMemoryStores.create().signingKeyStore()).clock(clock).open();
    String jws = ReleaseManifest.sign(other, id, info, 2, clock.instant());
    assertThatThrownBy(() -> ReleaseManifest.verify(jws, ring.publicKeys(), id, clock.instant()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.getMessage()).startsWith("release signature invalid: invalid signature: unknown key id"));
  }

  @Test
  void aManifestWhosePayloadChangedAfterSigning_isRefused_evenUnderAKnownKey() throws Exception {
    // The attack a bad signature stands for: the same header and signature (a key id the peer knows) over
    // claims naming other bytes, here another archive's SHA-256.
    String[] parts = ReleaseManifest.sign(ring, id, info, 2, clock.instant()).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("ab".repeat(32));
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        payload.replace("ab".repeat(32), "cd".repeat(32)).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThatThrownBy(() -> ReleaseManifest.verify(forged, ring.publicKeys(), id, clock.instant()))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.reason()).isEqualTo(ReleaseException.Reason.BAD_SIGNATURE);
          assertThat(e.getMessage()).startsWith("release signature invalid: invalid signature: signature does"
              + " not verify under key ");
        });

    // And a signature cut short.
    String cut = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4);
    assertThatThrownBy(() -> ReleaseManifest.verify(cut, ring.publicKeys(), id, clock.instant()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.getMessage()).startsWith("release signature invalid: "));
  }
}
