package dev.aura.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.aura.oidc.internal.KeyCache;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates OpenID Connect ID tokens (OIDC Core 1.0 section 3.1.3.7) that a peer presents beside its join token,
 * against one identity provider's published keys.
 *
 * <pre>{@code
 * IdTokenVerifier verifier = IdTokenVerifier.builder()
 *     .provider(IdentityProvider.discover(issuer, fetcher))
 *     .fetcher(fetcher)
 *     .clientId("aura")
 *     .subjectClaim("email")
 *     .maxAge(Duration.ofMinutes(5))
 *     .clock(Clock.systemUTC())
 *     .build();
 * VerifiedAssertion a = verifier.verify(idToken, joinToken.subject());
 * }</pre>
 *
 * <p>Checks, in order; the first that fails decides the {@link AssertionRejection}:
 *
 * <ol>
 *   <li>a compact signed JWT whose {@code alg} is an asymmetric one the IdP offers in
 *       {@code id_token_signing_alg_values_supported} ({@code HS*} and {@code none} never pass), with an ID
 *       token's required claims (section 2) and an {@code iss} exactly equal to the issuer;
 *   <li>the signature verifies with a key from the IdP's {@code jwks_uri} selected by {@code kid}, key type and
 *       use (the key set is cached and fetched again for an unknown {@code kid}); never a key from the header;
 *   <li>{@code aud} contains the client id; {@code azp}, if present or if there are several audiences, is the
 *       client id;
 *   <li>the join token's skew rule: expired once {@code now >= exp + skew}; {@code iat} not after
 *       {@code now + skew};
 *   <li>{@code auth_time} present and {@code now < auth_time + max_age + skew} (section 3.1.2.1, {@code max_age});
 *   <li>the subject claim is a string equal to the expected subject; when it is {@code email}, an
 *       {@code email_verified} of {@code false} is refused.
 * </ol>
 *
 * <p>Thread-safe. <b>Warning:</b> the verifier never logs or keeps a token; callers must not either.
 */
public final class IdTokenVerifier {
  /** The default and largest allowed clock skew, as for join tokens. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);
  /** The largest clock skew that may be configured. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);
  /** The default least time between two key set fetches caused by an unknown {@code kid}. */
  public static final Duration DEFAULT_KEY_REFRESH_INTERVAL = Duration.ofSeconds(30);
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final IdentityProvider provider;
  private final String clientId;
  private final String subjectClaim;
  private final Duration maxAge;
  private final Duration skew;
  private final Clock clock;
  private final KeyCache keys;

  private IdTokenVerifier(Builder b) {
    this.provider = b.provider;
    this.clientId = b.clientId;
    this.subjectClaim = b.subjectClaim == null ? "sub" : b.subjectClaim;
    this.maxAge = b.maxAge;
    this.skew = b.skew == null ? DEFAULT_SKEW : b.skew;
    this.clock = b.clock;
    this.keys = new KeyCache(provider.jwksUri(), b.fetcher, clock,
        b.keyRefreshInterval == null ? DEFAULT_KEY_REFRESH_INTERVAL : b.keyRefreshInterval);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the identity provider */
  public IdentityProvider provider() {
    return provider;
  }

  /** @return the client id ID tokens must be for */
  public String clientId() {
    return clientId;
  }

  /**
   * Validates an ID token for a subject.
   *
   * @param idToken the compact ID token
   * @param expectedSubject the join token's {@code sub}
   * @throws AssertionRejectedException with the first failed check's reason
   * @throws IdpException when the IdP's key set cannot be fetched (not the peer's fault)
   */
  public VerifiedAssertion verify(String idToken, String expectedSubject) throws AssertionRejectedException,
      IdpException {
    Objects.requireNonNull(expectedSubject, "expectedSubject");
    if (idToken == null || idToken.isEmpty() || idToken.length() > MAX_TOKEN_CHARS) {
      throw new AssertionRejectedException(AssertionRejection.MALFORMED, idToken == null || idToken.isEmpty()
          ? "empty" : "longer than " + MAX_TOKEN_CHARS + " characters");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(idToken);
    } catch (java.text.ParseException | RuntimeException e) {
      throw new AssertionRejectedException(AssertionRejection.MALFORMED, "not a signed JWT");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!provider.algorithms().contains(alg)) {
      throw new AssertionRejectedException(AssertionRejection.ALGORITHM_NOT_OFFERED, "alg " + alg.getName()
          + "; " + provider.issuer() + " offers " + provider.algorithmNames());
    }
    IDTokenClaimsSet claims;
    try {
      claims = new IDTokenClaimsSet(jwt.getJWTClaimsSet());
    } catch (ParseException | java.text.ParseException | RuntimeException e) {
      throw new AssertionRejectedException(AssertionRejection.MALFORMED, "not an ID token: " + e.getMessage());
    }
    // The issuer first (OIDC Core 3.1.3.7 step 2): another IdP's token is named as such, and its unknown kid
    // never makes us fetch our IdP's keys. Unverified claims only ever lead to a refusal here.
    checkIssuer(claims);
    checkSignature(jwt);
    checkClaims(claims);
    String subject = subjectOf(claims, expectedSubject);
    return new VerifiedAssertion(provider.issuer(), subject, claims.getAuthenticationTime().toInstant(),
        claims.getExpirationTime().toInstant());
  }

  private void checkSignature(SignedJWT jwt) throws AssertionRejectedException, IdpException {
    String kid = jwt.getHeader().getKeyID();
    List<JWK> candidates = keys.keysFor(jwt.getHeader());
    if (candidates.isEmpty()) {
      throw new AssertionRejectedException(AssertionRejection.INVALID_SIGNATURE, "no " + jwt.getHeader()
          .getAlgorithm() + " key " + (kid == null ? "(no kid)" : "with kid '" + printable(kid) + "'")
          + " is published at " + keys.jwksUri() + " (published: " + String.join(", ", keys.kids()) + ")");
    }
    DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
    for (JWK candidate : candidates) {
      try {
        Key key = ((AsymmetricJWK) candidate).toPublicKey();
        JWSVerifier verifier = factory.createJWSVerifier(jwt.getHeader(), key);
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | ClassCastException e) {
        // not usable for this algorithm: try the next
      }
    }
    throw new AssertionRejectedException(AssertionRejection.INVALID_SIGNATURE, "the signature does not verify"
        + " with the published key " + (kid == null ? "" : "'" + printable(kid) + "'"));
  }

  private void checkIssuer(IDTokenClaimsSet c) throws AssertionRejectedException {
    String iss = c.getIssuer().getValue();
    if (!iss.equals(provider.issuer().toString())) {
      throw new AssertionRejectedException(AssertionRejection.WRONG_ISSUER, "issued by '" + printable(iss)
          + "', expected " + provider.issuer());
    }
  }

  private void checkClaims(IDTokenClaimsSet c) throws AssertionRejectedException {
    List<String> audiences = new ArrayList<>();
    for (Audience a : c.getAudience()) {
      audiences.add(a.getValue());
    }
    if (!audiences.contains(clientId)) {
      throw new AssertionRejectedException(AssertionRejection.WRONG_AUDIENCE, "audience "
          + printable(String.join(", ", audiences)) + ", expected " + clientId);
    }
    String azp = c.getAuthorizedParty() == null ? null : c.getAuthorizedParty().getValue();
    if ((azp != null && !azp.equals(clientId)) || (azp == null && audiences.size() > 1)) {
      throw new AssertionRejectedException(AssertionRejection.WRONG_AUTHORIZED_PARTY, "azp "
          + (azp == null ? "missing with several audiences" : "'" + printable(azp) + "'") + ", expected "
          + clientId);
    }
    Instant now = clock.instant();
    Instant exp = c.getExpirationTime().toInstant();
    if (!now.isBefore(exp.plus(skew))) {
      throw new AssertionRejectedException(AssertionRejection.EXPIRED, "expired at " + exp + ", "
          + HumanDuration.format(Duration.between(exp, now)) + " ago (allowed clock skew "
          + HumanDuration.format(skew) + ")");
    }
    Instant iat = c.getIssueTime().toInstant();
    if (iat.isAfter(now.plus(skew))) {
      throw new AssertionRejectedException(AssertionRejection.NOT_YET_VALID, "iat " + iat + " is "
          + HumanDuration.format(Duration.between(now, iat)) + " ahead of this Mothership's clock (allowed skew "
          + HumanDuration.format(skew) + "); check NTP");
    }
    if (c.getAuthenticationTime() == null) {
      throw new AssertionRejectedException(AssertionRejection.NOT_FRESH, "it has no auth_time claim, max_age "
          + HumanDuration.format(maxAge));
    }
    Instant authTime = c.getAuthenticationTime().toInstant();
    if (!now.isBefore(authTime.plus(maxAge).plus(skew))) {
      throw new AssertionRejectedException(AssertionRejection.NOT_FRESH, "authenticated "
          + HumanDuration.format(Duration.between(authTime, now)) + " ago, max_age " + HumanDuration.format(maxAge));
    }
  }

  private String subjectOf(IDTokenClaimsSet c, String expected) throws AssertionRejectedException {
    Object value = c.getClaim(subjectClaim);
    if (!(value instanceof String subject) || subject.isBlank()) {
      throw new AssertionRejectedException(AssertionRejection.NO_SUBJECT, "no string claim '" + subjectClaim
          + "' (subject_claim)");
    }
    if ("email".equals(subjectClaim) && Boolean.FALSE.equals(c.getClaim("email_verified"))) {
      throw new AssertionRejectedException(AssertionRejection.UNVERIFIED_EMAIL, printable(subject)
          + " has email_verified false");
    }
    if (!subject.equals(expected)) {
      throw AssertionRejectedException.subjectMismatch(printable(subject), expected);
    }
    return subject;
  }

  /** Untrusted text for a message: control characters replaced, at most 200 characters. */
  private static String printable(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /** Configures an {@link IdTokenVerifier}. Each setting may be given once. */
  public static final class Builder {
    private IdentityProvider provider;
    private IdpFetcher fetcher;
    private String clientId;
    private String subjectClaim;
    private Duration maxAge;
    private Duration skew;
    private Duration keyRefreshInterval;
    private Clock clock;

    private Builder() {}

    /** The discovered identity provider. Required. */
    public Builder provider(IdentityProvider value) {
      provider = once(provider, value, "provider");
      return this;
    }

    /** How the key set is fetched. Required. */
    public Builder fetcher(IdpFetcher value) {
      fetcher = once(fetcher, value, "fetcher");
      return this;
    }

    /** The client id ID tokens must be issued to ({@code aud}, {@code azp}). Required. */
    public Builder clientId(String value) {
      if (value != null && value.isBlank()) {
        throw new IllegalArgumentException("clientId must not be blank");
      }
      clientId = once(clientId, value, "clientId");
      return this;
    }

    /** The claim that must equal the join token's {@code sub}; default {@code sub}. */
    public Builder subjectClaim(String value) {
      if (value != null && value.isBlank()) {
        throw new IllegalArgumentException("subjectClaim must not be blank");
      }
      subjectClaim = once(subjectClaim, value, "subjectClaim");
      return this;
    }

    /** How recent {@code auth_time} must be. Required, positive. */
    public Builder maxAge(Duration value) {
      if (value != null && (value.isZero() || value.isNegative())) {
        throw new IllegalArgumentException("maxAge must be positive, got " + value);
      }
      maxAge = once(maxAge, value, "maxAge");
      return this;
    }

    /** Allowed clock skew; default 60s, at most 5 minutes. */
    public Builder clockSkew(Duration value) {
      Objects.requireNonNull(value, "clockSkew");
      if (value.isNegative() || value.compareTo(MAX_SKEW) > 0) {
        throw new IllegalArgumentException("clock skew must be between 0s and " + MAX_SKEW.toSeconds()
            + "s, got " + value.toSeconds() + "s");
      }
      skew = once(skew, value, "clockSkew");
      return this;
    }

    /** Least time between two key set fetches caused by an unknown {@code kid}; default 30s. */
    public Builder keyRefreshInterval(Duration value) {
      if (value != null && value.isNegative()) {
        throw new IllegalArgumentException("keyRefreshInterval must not be negative");
      }
      keyRefreshInterval = once(keyRefreshInterval, value, "keyRefreshInterval");
      return this;
    }

    /** The clock for exp, iat, auth_time and key refreshes. Required. */
    public Builder clock(Clock value) {
      clock = once(clock, value, "clock");
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting */
    public IdTokenVerifier build() {
      require(provider, "provider");
      require(fetcher, "fetcher");
      require(clientId, "clientId");
      require(maxAge, "maxAge");
      require(clock, "clock");
      return new IdTokenVerifier(this);
    }

    private static <T> T once(T current, T value, String name) {
      Objects.requireNonNull(value, name);
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
      return value;
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException(name + " is required");
      }
    }
  }
}
