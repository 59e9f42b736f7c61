package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Claim rules (RFC 7519 section 4.1) with the clock-skew boundaries pinned to the second. */
class ClaimsTest {
  private final Harness h = Harness.ed25519();

  ClaimsTest() throws Exception {}

  @ParameterizedTest
  @ValueSource(strings = {"iss", "sub", "aud", "iat", "exp", "jti", "role", "one_shot", "tls_fingerprint"})
  void missingRequiredClaim_isMalformed(String claim) {
    Map<String, Object> claims = h.claims();
    claims.remove(claim);

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("malformed token: claim '" + claim + "' is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "iat", "nbf"})
  void timeClaimAsString_isMalformed(String claim) {
    Map<String, Object> claims = h.claims();
    claims.put(claim, "1713786400");

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("claim '" + claim + "' must be an integer, found a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "iat", "nbf"})
  void timeClaimWithAFraction_isMalformed(String claim) {
    Map<String, Object> claims = h.claims();
    claims.put(claim, h.clock.instant().getEpochSecond() + 0.5);

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("found a number with a fraction");
  }

  @Test
  void timeClaimAsBooleanOrNull_isMalformed() {
    Map<String, Object> claims = h.claims();
    claims.put("exp", true);
    rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    claims.put("exp", null);
    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("claim 'exp' is null");
  }

  @Test
  void exp_oneSecondInsideTheSkew_isAccepted_atTheBoundaryAndOneSecondOutside_isExpired() throws Exception {
    String token = h.issue().token();
    Instant exp = h.validator.verify(token).expiresAt();

    h.clock.set(exp.plusSeconds(59));
    assertThat(h.validator.verify(token).jti()).isNotNull();

    h.clock.set(exp.plusSeconds(60));
    rejected(() -> h.validator.verify(token), RejectionReason.EXPIRED);

    h.clock.set(exp.plusSeconds(61));
    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.EXPIRED);
    assertThat(e.getMessage()).contains("61s ago").contains("allowed clock skew 60s");
    assertThat(e.clockOffset()).contains(Duration.ofSeconds(-61));
  }

  @Test
  void admit_withinTheSkewAfterExp_consumesTheToken() throws Exception {
    String token = h.issue().token();
    h.clock.set(h.validator.verify(token).expiresAt().plusSeconds(30));

    assertThat(h.validator.admit(token).consumed()).isTrue();
  }

  @Test
  void iat_atTheSkewBoundaryIsAccepted_oneSecondBeyondIsNotYetValid_withTheOffsetInTheMessage() throws Exception {
    Map<String, Object> claims = h.claims();
    long now = h.clock.instant().getEpochSecond();
    claims.put("iat", now + 60);
    claims.put("exp", now + 3600);
    assertThat(h.validator.verify(h.forge(claims)).issuedAt()).isEqualTo(Instant.ofEpochSecond(now + 60));

    claims.put("iat", now + 61);
    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.NOT_YET_VALID);
    assertThat(e.getMessage())
        .startsWith("token not yet valid (iat is in the future): iat ")
        .contains("61s ahead of this Mothership's clock")
        .contains("the clocks differ by about 61s");
    assertThat(e.clockOffset()).contains(Duration.ofSeconds(61));
  }

  @Test
  void nbf_beyondTheSkew_isNotYetValid() {
    Map<String, Object> claims = h.claims();
    claims.put("nbf", h.clock.instant().getEpochSecond() + 120);

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.NOT_YET_VALID);
    assertThat(e.getMessage()).contains("nbf ");
  }

  @Test
  void configuredSkew_isHonoured_andCapped() throws Exception {
    JoinTokenValidator strict = h.validatorBuilder().clockSkew(Duration.ZERO).build();
    String token = h.issue().token();
    h.clock.set(strict.verify(token).expiresAt());
    rejected(() -> strict.verify(token), RejectionReason.EXPIRED);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.validatorBuilder().clockSkew(Duration.ofMinutes(6)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0s and 300s");
  }

  @Test
  void anotherAudience_isRefused() {
    Map<String, Object> claims = h.claims();
    claims.put("aud", "aura-admin");

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.WRONG_AUDIENCE);
    assertThat(e.getMessage()).isEqualTo("wrong audience: expected aura-peer, found 'aura-admin'");
  }

  @Test
  void audienceAsAnArray_isMalformed() {
    Map<String, Object> claims = h.claims();
    claims.put("aud", java.util.List.of("aura-peer"));

    rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
  }

  @Test
  void anotherIssuer_isRefused() {
    Map<String, Object> claims = h.claims();
    claims.put("iss", "mship_00000000");

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.WRONG_ISSUER);
    assertThat(e.getMessage()).contains("'mship_00000000', this Mothership is mship_7fcd21a9");
  }

  @Test
  void lifetimeBeyondMaxExpiry_isRefused() {
    Map<String, Object> claims = h.claims();
    claims.put("exp", h.clock.instant().getEpochSecond() + Duration.ofDays(8).toSeconds());

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.LIFETIME_TOO_LONG);
    assertThat(e.getMessage()).isEqualTo("token lifetime exceeds jwt.max_expiry: token lives 8d, jwt.max_expiry is 7d");
  }

  @Test
  void expNotAfterIat_isMalformed() {
    Map<String, Object> claims = h.claims();
    claims.put("exp", claims.get("iat"));

    rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
  }

  @Test
  void oneShotAndUsesTogether_orMultiUseWithoutUses_isMalformed() {
    Map<String, Object> claims = h.claims();
    claims.put("uses", 3L);
    rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);

    claims.remove("uses");
    claims.put("one_shot", false);
    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("needs 'uses' of at least 2");
  }

  @Test
  void badJtiRoleOrFingerprint_isMalformed_namingTheClaim() {
    Map<String, Object> claims = h.claims();
    claims.put("jti", "not-a-jti");
    assertThat(rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED).getMessage())
        .contains("claim 'jti'");
    claims.putAll(h.claims());
    claims.put("role", "root");
    assertThat(rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED).getMessage())
        .contains("claim 'role': unknown role 'root'");
    claims.putAll(h.claims());
    claims.put("tls_fingerprint", "ab:cd");
    assertThat(rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED).getMessage())
        .contains("claim 'tls_fingerprint'");
  }

  @Test
  void fingerprintNotAccepted_isMismatch_namingBoth() throws Exception {
    Fingerprint other = Fingerprint.ofCertificate(new byte[] {1});
    JoinTokenValidator v = JoinTokenValidator.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys)
        .clock(h.clock).acceptedFingerprints(() -> Set.of(other)).permitRoles(Role.MEMBER)
        .withoutRevocationCheck().build();
    String token = h.issue().token();

    TokenRejectedException e = rejected(() -> v.verify(token), RejectionReason.TLS_FINGERPRINT_MISMATCH);
    assertThat(e.getMessage()).contains("token pins " + Harness.FINGERPRINT)
        .contains("this Mothership presents " + other);
  }

  @Test
  void fingerprintInGrace_isAccepted() throws Exception {
    Fingerprint current = Fingerprint.ofCertificate(new byte[] {1});
    JoinTokenValidator v = JoinTokenValidator.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys)
        .clock(h.clock).acceptedFingerprints(() -> Set.of(current, Harness.FINGERPRINT)).permitRoles(Role.MEMBER)
        .withoutRevocationCheck().build();

    assertThat(v.verify(h.issue().token()).fingerprint()).isEqualTo(Harness.FINGERPRINT);
  }

  @Test
  void roleNotPermitted_isRefused() throws Exception {
    JoinTokenValidator membersOnly = JoinTokenValidator.builder().mothershipId(Harness.MSHIP)
        .keys(h.ring::publicKeys).clock(h.clock).acceptedFingerprints(() -> Set.of(Harness.FINGERPRINT))
        .permitRoles(Role.MEMBER, Role.READ_ONLY).withoutRevocationCheck().build();
    String admin = h.issuer.issue(JoinTokenRequest.forSubject("bob@acme.com").role(Role.ADMIN).build()).token();

    TokenRejectedException e = rejected(() -> membersOnly.verify(admin), RejectionReason.ROLE_NOT_PERMITTED);
    assertThat(e.getMessage()).isEqualTo("role not permitted: role admin is not permitted here (permitted: member, read-only)");
  }

  @Test
  void revokedToken_isRefused_withTheCheckDescription() throws Exception {
    RevocationCheck revokeAll = new RevocationCheck() {
      @Override
      public java.util.Optional<String> revocationOf(VerifiedJoinToken token) {
        return java.util.Optional.of(token.jti() + " was revoked by admin@acme.com");
      }

      @Override
      public java.util.Optional<String> revocationOfPeer(dev.aura.spi.PeerId p, String s, Instant j) {
        return java.util.Optional.empty();
      }
    };
    JoinTokenValidator v = JoinTokenValidator.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys)
        .clock(h.clock).acceptedFingerprints(() -> Set.of(Harness.FINGERPRINT)).permitRoles(Role.MEMBER)
        .revocation(revokeAll).build();
    IssuedJoinToken t = h.issue();

    TokenRejectedException e = rejected(() -> v.verify(t.token()), RejectionReason.REVOKED);
    assertThat(e.getMessage()).isEqualTo("revoked: " + t.jti() + " was revoked by admin@acme.com");
  }
}
