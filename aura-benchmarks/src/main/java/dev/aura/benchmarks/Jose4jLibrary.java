package dev.aura.benchmarks;

import dev.aura.token.JoinTokenIssuer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * jose4j used as its documentation shows: a {@link JwtConsumer} restricted to the one algorithm, requiring
 * {@code exp iat sub jti}, the issuer and the audience, with a 60 s skew.
 */
final class Jose4jLibrary {
  private final JwtConsumer consumer;
  private final TokenFixture fixture;

  Jose4jLibrary(TokenFixture fixture) {
    this.fixture = fixture;
    this.consumer = new JwtConsumerBuilder()
        .setRequireExpirationTime()
        .setRequireIssuedAt()
        .setRequireSubject()
        .setRequireJwtId()
        .setAllowedClockSkewInSeconds(60)
        .setExpectedIssuer(TokenFixture.MOTHERSHIP.value())
        .setExpectedAudience(JoinTokenIssuer.AUDIENCE)
        .setVerificationKey(fixture.jdkPublicKey)
        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, fixture.alg())
        .build();
  }

  JwtClaims verify(String token) throws InvalidJwtException {
    return consumer.processToClaims(token);
  }

  String sign(long iat) throws JoseException {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(TokenFixture.MOTHERSHIP.value());
    claims.setSubject(TokenFixture.SUBJECT);
    claims.setAudience(JoinTokenIssuer.AUDIENCE);
    claims.setIssuedAt(NumericDate.fromSeconds(iat));
    claims.setExpirationTime(NumericDate.fromSeconds(iat + TokenFixture.LIFETIME_SECONDS));
    claims.setJwtId(fixture.jti);
    claims.setClaim("role", TokenFixture.ROLE.wireName());
    claims.setClaim("one_shot", true);
    claims.setClaim("tls_fingerprint", TokenFixture.FINGERPRINT.toString());
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(fixture.jdkPrivateKey);
    jws.setAlgorithmHeaderValue(fixture.alg());
    jws.setHeader("typ", TokenFixture.TYP);
    jws.setKeyIdHeaderValue(fixture.kid);
    return jws.getCompactSerialization();
  }
}
