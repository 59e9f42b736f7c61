package dev.aura.benchmarks;

import dev.aura.token.JoinTokenIssuer;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.security.PrivateKey;
import java.util.Date;

/**
 * jjwt (io.jsonwebtoken) used as its README shows: a parser that verifies with the public key (JDK EdDSA or
 * EC) and requires {@code iss} and {@code aud}; {@code exp}/{@code nbf} are checked with a 60 s skew.
 */
final class JjwtLibrary {
  private final JwtParser parser;
  private final PrivateKey signingKey;
  private final TokenFixture fixture;

  JjwtLibrary(TokenFixture fixture) {
    this.fixture = fixture;
    this.signingKey = fixture.jdkPrivateKey;
    this.parser = Jwts.parser()
        .verifyWith(fixture.jdkPublicKey)
        .requireIssuer(TokenFixture.MOTHERSHIP.value())
        .requireAudience(JoinTokenIssuer.AUDIENCE)
        .clockSkewSeconds(60)
        .build();
  }

  Jws<Claims> verify(String token) {
    return parser.parseSignedClaims(token);
  }

  // A join token's aud is one string (RFC 7519 section 4.1.3 allows it); jjwt deprecates writing that form.
  @SuppressWarnings("deprecation")
  String sign(long iat) {
    return Jwts.builder()
        .header().keyId(fixture.kid).type(TokenFixture.TYP).and()
        .issuer(TokenFixture.MOTHERSHIP.value())
        .subject(TokenFixture.SUBJECT)
        .audience().single(JoinTokenIssuer.AUDIENCE)
        .issuedAt(new Date(iat * 1000))
        .expiration(new Date((iat + TokenFixture.LIFETIME_SECONDS) * 1000))
        .id(fixture.jti)
        .claim("role", TokenFixture.ROLE.wireName())
        .claim("one_shot", true)
        .claim("tls_fingerprint", TokenFixture.FINGERPRINT.toString())
        .signWith(signingKey)
        .compact();
  }
}
