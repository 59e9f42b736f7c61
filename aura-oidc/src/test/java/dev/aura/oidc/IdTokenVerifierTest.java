package dev.aura.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every check of {@link IdTokenVerifier}, on tokens forged with keys the test makes, at pinned instants. */
class IdTokenVerifierTest {
  private static final URI ISSUER = URI.create("https://idp.acme.internal/realms/acme");
  private static final URI JWKS = URI.create("https://idp.acme.internal/realms/acme/certs");
  private static final Instant NOW = Instant.parse("2026-04-21T10:00:00Z");

  private final Map<URI, String> documents = new HashMap<>();
  private final List<URI> fetched = new ArrayList<>();
  private final IdpFetcher fetcher = uri -> {
    fetched.add(uri);
    String body = documents.get(uri);
    if (body == null) {
      throw new IOException("HTTP 404");
    }
    return body;
  };
  private RSAKey signing;
  private Instant now = NOW;
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override public Instant instant() {
      return now;
    }
  };

  @BeforeEach
  void publish() throws JOSEException {
    signing = new RSAKeyGenerator(2048).keyID("k1").generate();
    documents.put(IdentityProvider.discoveryUrl(ISSUER), discovery("[\"RS256\",\"HS256\"]"));
    documents.put(JWKS, new JWKSet(signing.toPublicJWK()).toString());
  }

  private static String discovery(String algs) {
    return "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + JWKS + "\",\"authorization_endpoint\":\"" + ISSUER
        + "/auth\",\"token_endpoint\":\"" + ISSUER + "/token\",\"device_authorization_endpoint\":\"" + ISSUER
        + "/device\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":" + algs + "}";
  }

  private IdTokenVerifier verifier() throws IdpException {
    return IdTokenVerifier.builder().provider(IdentityProvider.discover(ISSUER, fetcher)).fetcher(fetcher)
        .clientId("aura").subjectClaim("email").maxAge(Duration.ofMinutes(5)).clock(clock).build();
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(ISSUER.toString()).subject("f3c1").audience("aura")
        .claim("azp", "aura").expirationTime(Date.from(NOW.plusSeconds(300))).issueTime(Date.from(NOW))
        .claim("auth_time", NOW.getEpochSecond()).claim("email", "alice@acme.com").claim("email_verified", true);
  }

  private String sign(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
    JWTClaimsSet.Builder b = claims();
    change.accept(b);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(),
        b.build());
    jwt.sign(new RSASSASigner(signing));
    return jwt.serialize();
  }

  private AssertionRejectedException rejection(String token) {
    try {
      verifier().verify(token, "alice@acme.com");
    } catch (AssertionRejectedException e) {
      return e;
    } catch (IdpException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted");
  }

  @Test
  void verify_validToken_returnsIssuerSubjectAndAuthTime() throws Exception {
    VerifiedAssertion a = verifier().verify(sign(b -> { }), "alice@acme.com");
    assertThat(a.issuer()).isEqualTo(ISSUER);
    assertThat(a.subject()).isEqualTo("alice@acme.com");
    assertThat(a.authenticatedAt()).isEqualTo(NOW);
  }

  @Test
  void verify_atExpiryPlusSkew_isExpired_oneSecondBefore_isAccepted() throws Exception {
    String token = sign(b -> { });
    now = NOW.plusSeconds(300 + 60 - 1).minus(Duration.ofMinutes(0));
    // auth_time would be stale by then: give a long max_age for this boundary
    IdTokenVerifier lenient = IdTokenVerifier.builder().provider(IdentityProvider.discover(ISSUER, fetcher))
        .fetcher(fetcher).clientId("aura").subjectClaim("email").maxAge(Duration.ofHours(1)).clock(clock).build();
    assertThat(lenient.verify(token, "alice@acme.com").subject()).isEqualTo("alice@acme.com");
    now = NOW.plusSeconds(300 + 60);
    assertThatThrownBy(() -> lenient.verify(token, "alice@acme.com"))
        .isInstanceOfSatisfying(AssertionRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(AssertionRejection.EXPIRED))
        .hasMessage("identity provider assertion expired: expired at 2026-04-21T10:05:00Z, 1m ago (allowed clock"
            + " skew 1m)");
  }

  @Test
  void verify_iatBeyondSkewInTheFuture_isNotYetValid() throws Exception {
    AssertionRejectedException e = rejection(sign(b -> b.issueTime(Date.from(NOW.plusSeconds(61)))
        .expirationTime(Date.from(NOW.plusSeconds(600)))));
    assertThat(e.reason()).isEqualTo(AssertionRejection.NOT_YET_VALID);
    assertThat(e).hasMessageStartingWith("identity provider assertion not yet valid (iat is in the future): iat"
        + " 2026-04-21T10:01:01Z is 1m1s ahead");
  }

  @Test
  void verify_authenticatedThreeHoursAgo_isNotFresh() throws Exception {
    AssertionRejectedException e = rejection(sign(b -> b.claim("auth_time", NOW.minusSeconds(3 * 3600)
        .getEpochSecond())));
    assertThat(e.reason()).isEqualTo(AssertionRejection.NOT_FRESH);
    assertThat(e).hasMessage("identity provider assertion is not fresh: authenticated 3h ago, max_age 5m");
  }

  @Test
  void verify_authTimeAtMaxAgePlusSkew_isNotFresh_oneSecondLess_isFresh() throws Exception {
    String token = sign(b -> b.claim("auth_time", NOW.minusSeconds(360).getEpochSecond()));
    assertThat(rejection(token).reason()).isEqualTo(AssertionRejection.NOT_FRESH);
    String fresh = sign(b -> b.claim("auth_time", NOW.minusSeconds(359).getEpochSecond()));
    assertThat(verifier().verify(fresh, "alice@acme.com").authenticatedAt()).isEqualTo(NOW.minusSeconds(359));
  }

  @Test
  void verify_withoutAuthTime_isNotFresh() throws Exception {
    AssertionRejectedException e = rejection(sign(b -> b.claim("auth_time", null)));
    assertThat(e.reason()).isEqualTo(AssertionRejection.NOT_FRESH);
    assertThat(e).hasMessage("identity provider assertion is not fresh: it has no auth_time claim, max_age 5m");
  }

  @Test
  void verify_otherIssuer_isWrongIssuer() throws Exception {
    AssertionRejectedException e = rejection(sign(b -> b.issuer("https://idp.evil.example/realms/acme")));
    assertThat(e.reason()).isEqualTo(AssertionRejection.WRONG_ISSUER);
    assertThat(e).hasMessage("identity provider assertion from another issuer: issued by"
        + " 'https://idp.evil.example/realms/acme', expected " + ISSUER);
  }

  @Test
  void verify_otherAudience_isWrongAudience() throws Exception {
    AssertionRejectedException e = rejection(sign(b -> b.audience("other-app").claim("azp", "other-app")));
    assertThat(e.reason()).isEqualTo(AssertionRejection.WRONG_AUDIENCE);
    assertThat(e).hasMessage("identity provider assertion for another client: audience other-app, expected aura");
  }

  @Test
  void verify_azpOfAnotherClient_orMissingWithSeveralAudiences_isRefused() throws Exception {
    assertThat(rejection(sign(b -> b.claim("azp", "other-app"))).getMessage()).isEqualTo("identity provider"
        + " assertion authorized another client: azp 'other-app', expected aura");
    AssertionRejectedException e = rejection(sign(b -> b.audience(List.of("aura", "other-app")).claim("azp", null)));
    assertThat(e.reason()).isEqualTo(AssertionRejection.WRONG_AUTHORIZED_PARTY);
  }

  @Test
  void verify_assertionForBob_withAlicesToken_isSubjectMismatch() throws Exception {
    AssertionRejectedException e = rejection(sign(b -> b.claim("email", "bob@acme.com")));
    assertThat(e.reason()).isEqualTo(AssertionRejection.SUBJECT_MISMATCH);
    assertThat(e).hasMessage("identity provider assertion is for bob@acme.com, the token is for alice@acme.com");
  }

  @Test
  void verify_missingSubjectClaim_orUnverifiedEmail_isRefused() throws Exception {
    assertThat(rejection(sign(b -> b.claim("email", null))).getMessage()).isEqualTo("identity provider"
        + " assertion has no subject claim: no string claim 'email' (subject_claim)");
    assertThat(rejection(sign(b -> b.claim("email_verified", false))).reason())
        .isEqualTo(AssertionRejection.UNVERIFIED_EMAIL);
  }

  @Test
  void verify_tamperedPayload_isInvalidSignature() throws Exception {
    String token = sign(b -> { });
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims().claim("email", "mallory@acme.com").build().toString().getBytes(java.nio.charset.StandardCharsets
            .UTF_8)) + "." + parts[2];
    AssertionRejectedException e = rejection(forged);
    assertThat(e.reason()).isEqualTo(AssertionRejection.INVALID_SIGNATURE);
    assertThat(e).hasMessage("identity provider assertion has an invalid signature: the signature does not"
        + " verify with the published key 'k1'");
  }

  @Test
  void verify_signedByAnUnpublishedKeyWithThePublishedKid_isInvalidSignature() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("k1").generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
        .jwk(attacker.toPublicJWK()).build(), claims().build());
    jwt.sign(new RSASSASigner(attacker));
    assertThat(rejection(jwt.serialize()).reason()).isEqualTo(AssertionRejection.INVALID_SIGNATURE);
  }

  @Test
  void verify_algorithmTheIdpDoesNotOffer_isRefusedBeforeAnyKeyLookup() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
    documents.put(JWKS, new JWKSet(List.of(signing.toPublicJWK(), ec.toPublicJWK())).toString());
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(), claims().build());
    jwt.sign(new ECDSASigner(ec));
    AssertionRejectedException e = rejection(jwt.serialize());
    assertThat(e.reason()).isEqualTo(AssertionRejection.ALGORITHM_NOT_OFFERED);
    assertThat(e).hasMessage("identity provider assertion algorithm not accepted: alg ES256; " + ISSUER
        + " offers RS256");
    assertThat(fetched).doesNotContain(JWKS);
  }

  @Test
  void verify_hs256EvenWhenTheIdpListsIt_isRefused() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
    jwt.sign(new MACSigner(signing.toPublicJWK().toRSAPublicKey().getEncoded()));
    assertThat(rejection(jwt.serialize()).reason()).isEqualTo(AssertionRejection.ALGORITHM_NOT_OFFERED);
  }

  @Test
  void verify_notAJwt_isMalformed() {
    assertThat(rejection("not-a-token").reason()).isEqualTo(AssertionRejection.MALFORMED);
    assertThat(rejection("").reason()).isEqualTo(AssertionRejection.MALFORMED);
  }

  @Test
  void verify_rotatedIdpKey_isFetchedAgain_butNotMoreThanOncePerInterval() throws Exception {
    IdTokenVerifier v = verifier();
    assertThat(v.verify(sign(b -> { }), "alice@acme.com").subject()).isEqualTo("alice@acme.com");
    RSAKey old = signing;
    signing = new RSAKeyGenerator(2048).keyID("k2").generate();
    documents.put(JWKS, new JWKSet(signing.toPublicJWK()).toString());
    String rotated = sign(b -> { });
    // Within the interval the cache is not refreshed: the unknown kid is refused without a fetch.
    now = NOW.plusSeconds(29);
    long before = fetched.stream().filter(JWKS::equals).count();
    assertThatThrownBy(() -> v.verify(rotated, "alice@acme.com")).isInstanceOfSatisfying(
        AssertionRejectedException.class, e -> assertThat(e.getMessage()).contains("no RS256 key with kid 'k2'"));
    assertThat(fetched.stream().filter(JWKS::equals).count()).isEqualTo(before);
    now = NOW.plusSeconds(30);
    assertThat(v.verify(rotated, "alice@acme.com").subject()).isEqualTo("alice@acme.com");
    // The old key is no longer published: its tokens no longer verify.
    signing = old;
    assertThat(rejection(sign(b -> { })).reason()).isEqualTo(AssertionRejection.INVALID_SIGNATURE);
  }

  @Test
  void verify_keySetUnreachable_isAnIdpFailureNotARejection() throws Exception {
    documents.remove(JWKS);
    String token = sign(b -> { });
    assertThatThrownBy(() -> verifier().verify(token, "alice@acme.com")).isInstanceOf(IdpException.class)
        .hasMessage("cannot fetch the key set " + JWKS + ": HTTP 404");
  }

  @Test
  void discover_issuerMismatch_unreachable_orOnlySymmetricAlgs_isAClearError() {
    documents.put(IdentityProvider.discoveryUrl(ISSUER), discovery("[\"RS256\"]").replace(ISSUER + "\",\"jwks",
        "https://other.example\",\"jwks"));
    assertThatThrownBy(() -> IdentityProvider.discover(ISSUER, fetcher)).isInstanceOf(IdpException.class)
        .hasMessageContaining("names issuer https://other.example, configured " + ISSUER);
    documents.put(IdentityProvider.discoveryUrl(ISSUER), discovery("[\"HS256\"]"));
    assertThatThrownBy(() -> IdentityProvider.discover(ISSUER, fetcher)).isInstanceOf(IdpException.class)
        .hasMessageContaining("offers no asymmetric ID token signing algorithm");
    documents.remove(IdentityProvider.discoveryUrl(ISSUER));
    assertThatThrownBy(() -> IdentityProvider.discover(ISSUER, fetcher)).isInstanceOf(IdpException.class)
        .hasMessage("cannot fetch " + ISSUER + "/.well-known/openid-configuration: HTTP 404");
    documents.put(IdentityProvider.discoveryUrl(ISSUER), "{not json");
    assertThatThrownBy(() -> IdentityProvider.discover(ISSUER, fetcher)).isInstanceOf(IdpException.class)
        .hasMessageStartingWith("invalid discovery document at ");
    assertThatThrownBy(() -> IdentityProvider.discover(URI.create("http://idp.acme.internal"), fetcher))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an https URL");
  }

  @Test
  void builder_withoutMaxAge_refusesToBuild() throws Exception {
    IdentityProvider idp = IdentityProvider.discover(ISSUER, fetcher);
    assertThatThrownBy(() -> IdTokenVerifier.builder().provider(idp).fetcher(fetcher).clientId("aura")
        .clock(clock).build()).isInstanceOf(IllegalStateException.class).hasMessage("maxAge is required");
    assertThatThrownBy(() -> IdTokenVerifier.builder().clientId("a").clientId("b"))
        .isInstanceOf(IllegalStateException.class).hasMessage("clientId was already set");
  }
}
