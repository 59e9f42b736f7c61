package dev.aura.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.SigningAlgorithm;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.Date;
import java.util.Set;

/**
 * Nimbus JOSE+JWT used as its documentation shows: {@code SignedJWT.parse}, a {@link JWSVerifier}, and
 * {@link DefaultJWTClaimsVerifier} for {@code aud}, {@code iss}, required claims and {@code exp}/{@code nbf}
 * with Nimbus's default 60 s skew.
 */
final class NimbusLibrary {
  private final JWSVerifier verifier;
  private final JWSSigner signer;
  private final JWSHeader header;
  private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;
  private final TokenFixture fixture;

  private NimbusLibrary(TokenFixture fixture, JWSVerifier verifier, JWSSigner signer) {
    this.fixture = fixture;
    this.verifier = verifier;
    this.signer = signer;
    this.header = new JWSHeader.Builder(JWSAlgorithm.parse(fixture.alg()))
        .type(new JOSEObjectType(TokenFixture.TYP)).keyID(fixture.kid).build();
    this.claimsVerifier = new DefaultJWTClaimsVerifier<>(JoinTokenIssuer.AUDIENCE,
        new JWTClaimsSet.Builder().issuer(TokenFixture.MOTHERSHIP.value()).build(),
        Set.of("sub", "iat", "exp", "jti"));
  }

  /** Nimbus as it ships: its Tink-based Ed25519 classes, or its JDK-based ECDSA classes. */
  static NimbusLibrary asShipped(TokenFixture fixture) {
    try {
      if (fixture.algorithm == SigningAlgorithm.EDDSA) {
        OctetKeyPair okp = fixture.privateJwk.toOctetKeyPair();
        return new NimbusLibrary(fixture, new com.nimbusds.jose.crypto.Ed25519Verifier(okp.toPublicJWK()),
            new com.nimbusds.jose.crypto.Ed25519Signer(okp));
      }
      return new NimbusLibrary(fixture, new ECDSAVerifier((ECPublicKey) fixture.jdkPublicKey),
          new ECDSASigner((ECPrivateKey) fixture.jdkPrivateKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot set up Nimbus", e);
    }
  }

  /** Nimbus with Aura's BouncyCastle {@code Ed25519Verifier}/{@code Ed25519Signer} plugged in. */
  static NimbusLibrary withAuraEd25519(TokenFixture fixture) {
    OctetKeyPair okp = fixture.privateJwk.toOctetKeyPair();
    return new NimbusLibrary(fixture, new dev.aura.token.Ed25519Verifier(okp.toPublicJWK()),
        new dev.aura.token.Ed25519Signer(okp));
  }

  JWTClaimsSet verify(String token) throws ParseException, JOSEException, BadJWTException {
    SignedJWT jwt = SignedJWT.parse(token);
    if (!jwt.verify(verifier)) {
      throw new BadJWTException("signature does not verify");
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    claimsVerifier.verify(claims, null);
    return claims;
  }

  String sign(long iat) throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(TokenFixture.MOTHERSHIP.value())
        .subject(TokenFixture.SUBJECT)
        .audience(JoinTokenIssuer.AUDIENCE)
        .issueTime(new Date(iat * 1000))
        .expirationTime(new Date((iat + TokenFixture.LIFETIME_SECONDS) * 1000))
        .jwtID(fixture.jti)
        .claim("role", TokenFixture.ROLE.wireName())
        .claim("one_shot", true)
        .claim("tls_fingerprint", TokenFixture.FINGERPRINT.toString())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }
}
