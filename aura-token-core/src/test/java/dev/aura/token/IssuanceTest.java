package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.LedgerEntry;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issuance: the product's token anatomy, defaults, flags and the stored record. */
class IssuanceTest {
  private final Harness h = Harness.ed25519();

  IssuanceTest() throws Exception {}

  @Test
  void defaultToken_hasTheDocumentedClaimsInOrder_andHeaderAlgTypKid() throws Exception {
    IssuedJoinToken t = h.issue();
    String[] parts = t.token().split("\\.");
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    Map<String, Object> claims = h.validator.verify(t.token()) != null
        ? TypedJws.verify(t.token(), TokenType.JOIN, h.ring.publicKeys(), TypedJws.DEFAULT_ALGORITHMS,
            h.clock.instant()).claims().asMap()
        : Map.of();

    assertThat(header).isEqualTo("{\"alg\":\"EdDSA\",\"typ\":\"aura-join+jwt\",\"kid\":\"" + h.ring.primaryKid() + "\"}");
    assertThat(List.copyOf(claims.keySet()))
        .containsExactly("iss", "sub", "aud", "iat", "exp", "jti", "role", "one_shot", "tls_fingerprint");
    assertThat(claims).containsEntry("iss", "mship_7fcd21a9").containsEntry("sub", "alice@acme.com")
        .containsEntry("aud", "aura-peer").containsEntry("role", "member").containsEntry("one_shot", true)
        .containsEntry("tls_fingerprint", Harness.FINGERPRINT.toString());
    assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(Duration.ofHours(24).toSeconds());
    assertThat(t.jti().value()).matches("jt_[0-7][0-9A-HJKMNP-TV-Z]{25}");
    assertThat(t.oneShot()).isTrue();
    assertThat(t.role()).isEqualTo(Role.MEMBER);
    assertThat(t.expiresAt()).isEqualTo(Harness.T0.plus(Duration.ofHours(24)));
  }

  @Test
  void multiUseToken_carriesUses_andIsNotOneShot() throws Exception {
    IssuedJoinToken t = h.issuer.issue(JoinTokenRequest.forSubject("team-onboarding").uses(20)
        .expiresIn(TokenDuration.parse("72h")).build());

    Map<String, Object> claims = TypedJws.verify(t.token(), TokenType.JOIN, h.ring.publicKeys(),
        TypedJws.DEFAULT_ALGORITHMS, h.clock.instant()).claims().asMap();
    assertThat(claims).containsEntry("one_shot", false).containsEntry("uses", 20L);
    assertThat(t.oneShot()).isFalse();
  }

  @Test
  void ledger_keepsTheJtiMetadataAndHash_neverTheToken() throws Exception {
    IssuedJoinToken t = h.issuer.issue(JoinTokenRequest.forSubject("bob@acme.com").role(Role.ADMIN)
        .expiresIn(TokenDuration.parse("1h")).build());

    LedgerEntry entry = h.ledger.find(t.jti()).orElseThrow();
    assertThat(entry.subject()).isEqualTo("bob@acme.com");
    assertThat(entry.role()).isEqualTo(Role.ADMIN);
    assertThat(entry.allowedUses()).isEqualTo(1);
    assertThat(entry.tokenHash()).isEqualTo(SecretHash.of(t.token()));
    assertThat(entry.toString()).doesNotContain(t.token());
  }

  @Test
  void issuedToken_toStringNeverShowsTheToken() throws Exception {
    IssuedJoinToken t = h.issue();

    assertThat(t.toString()).doesNotContain(t.token()).contains("token=redacted");
  }

  @Test
  void expiryAboveMaxExpiry_isAClearError() {
    assertThatThrownBy(() -> h.issuer.issue(JoinTokenRequest.forSubject("a@acme.com")
        .expiresIn(TokenDuration.parse("8d")).build()))
        .isInstanceOf(TokenIssuanceException.class)
        .hasMessage("--expires-in 8d exceeds jwt.max_expiry (7d); issue a shorter token or raise [jwt] max_expiry in the config");
  }

  @Test
  void expiryExactlyAtMaxExpiry_isIssued() throws Exception {
    assertThat(h.issuer.issue(JoinTokenRequest.forSubject("a@acme.com").expiresIn(TokenDuration.parse("7d")).build())
        .expiresAt()).isEqualTo(Harness.T0.plus(Duration.ofDays(7)));
  }

  @Test
  void usesBelowOne_orUsesWithExplicitOneShot_isAUsageError() {
    assertThatThrownBy(() -> JoinTokenRequest.forSubject("a@acme.com").uses(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--uses must be at least 1, got 0");
    assertThatThrownBy(() -> JoinTokenRequest.forSubject("a@acme.com").oneShot().uses(5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--uses 5 contradicts --one-shot");
    assertThat(JoinTokenRequest.forSubject("a@acme.com").oneShot().uses(1).build().oneShot()).isTrue();
  }

  @Test
  void blankOrControlCharacterSubject_isRefused() {
    assertThatThrownBy(() -> JoinTokenRequest.forSubject(" ").build()).hasMessageContaining("--for is required");
    assertThatThrownBy(() -> JoinTokenRequest.forSubject("a\nb").build()).hasMessageContaining("control characters");
  }

  @Test
  void issuerBuilder_failsClosed_namingTheMissingSetting() {
    assertThatThrownBy(() -> JoinTokenIssuer.builder().keyRing(h.ring).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("mothershipId is required");
  }

  @Test
  void validatorBuilder_failsClosed_withoutRolesOrARevocationDecision() {
    assertThatThrownBy(() -> JoinTokenValidator.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys)
        .clock(h.clock).acceptedFingerprints(java.util.Set::of).withoutRevocationCheck().build())
        .hasMessageContaining("call permitRoles");
    assertThatThrownBy(() -> JoinTokenValidator.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys)
        .clock(h.clock).acceptedFingerprints(java.util.Set::of).permitRoles(Role.MEMBER).build())
        .hasMessageContaining("withoutRevocationCheck()");
  }
}
