package dev.aura.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.SigningAlgorithm;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Map;

/**
 * auth0 java-jwt used as its README shows, ES256 only (it has no EdDSA): a verifier requiring the issuer, the
 * audience, {@code sub} and {@code jti}, with a 60 s leeway.
 */
final class Auth0Library {
  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final TokenFixture fixture;

  Auth0Library(TokenFixture fixture) {
    if (fixture.algorithm != SigningAlgorithm.ES256) {
      throw new IllegalArgumentException("java-jwt has no " + fixture.algorithm);
    }
    this.fixture = fixture;
    this.algorithm = Algorithm.ECDSA256((ECPublicKey) fixture.jdkPublicKey, (ECPrivateKey) fixture.jdkPrivateKey);
    this.verifier = JWT.require(algorithm)
        .withIssuer(TokenFixture.MOTHERSHIP.value())
        .withAudience(JoinTokenIssuer.AUDIENCE)
        .withClaimPresence("sub")
        .withClaimPresence("jti")
        .acceptLeeway(60)
        .build();
  }

  DecodedJWT verify(String token) {
    return verifier.verify(token);
  }

  String sign(long iat) {
    return JWT.create()
        .withKeyId(fixture.kid)
        .withHeader(Map.of("typ", TokenFixture.TYP))
        .withIssuer(TokenFixture.MOTHERSHIP.value())
        .withSubject(TokenFixture.SUBJECT)
        .withAudience(JoinTokenIssuer.AUDIENCE)
        .withIssuedAt(Instant.ofEpochSecond(iat))
        .withExpiresAt(Instant.ofEpochSecond(iat + TokenFixture.LIFETIME_SECONDS))
        .withJWTId(fixture.jti)
        .withClaim("role", TokenFixture.ROLE.wireName())
        .withClaim("one_shot", true)
        .withClaim("tls_fingerprint", TokenFixture.FINGERPRINT.toString())
        .sign(algorithm);
  }
}
