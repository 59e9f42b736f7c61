package dev.aura.benchmarks;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemorySigningKeyStore;
import dev.aura.testkit.InMemoryTokenLedger;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.KeyRing;
import dev.aura.token.RevocationCheck;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenIssuanceException;
import dev.aura.token.TokenType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything the benchmarks of one algorithm share: a key ring on an in-memory store, one join token issued by
 * Aura, the same key as JDK keys and JWKs for the peer libraries, and the claim values every library signs.
 * Built once per trial; immutable after construction.
 */
final class TokenFixture {
  static final MothershipId MOTHERSHIP = MothershipId.parse("mship_7fcd21a9");
  static final String SUBJECT = "alice@acme.com";
  static final Role ROLE = Role.MEMBER;
  static final long LIFETIME_SECONDS = 24 * 3600;
  static final Fingerprint FINGERPRINT = Fingerprint.ofDigest(fixedDigest());
  static final String TYP = TokenType.JOIN.typ();

  private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");
  private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");

  final SigningAlgorithm algorithm;
  final Clock clock = Clock.systemUTC();
  final KeyRing ring;
  final String kid;
  /** A join token issued by {@link JoinTokenIssuer}: the token every library validates. */
  final String token;
  /** Its jti; the peer libraries sign it too, so their tokens pass Aura's validator. */
  final String jti;
  /** {@code token} with its signature's first character changed: every library must refuse it. */
  final String tampered;
  final byte[] signingInput;
  final byte[] signature;
  final JWK privateJwk;
  final PublicKey jdkPublicKey;
  final PrivateKey jdkPrivateKey;

  private TokenFixture(SigningAlgorithm algorithm) throws StoreException, TokenIssuanceException,
      ParseException, GeneralSecurityException {
    this.algorithm = algorithm;
    this.ring = KeyRing.builder().store(new InMemorySigningKeyStore()).clock(clock).algorithm(algorithm).open();
    this.kid = ring.primaryKid();
    IssuedJoinToken issued = issuer(new InMemoryTokenLedger()).issue(request());
    this.token = issued.token();
    this.jti = issued.jti().value();
    int lastDot = token.lastIndexOf('.');
    this.signingInput = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
    this.signature = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
    char first = token.charAt(lastDot + 1);
    this.tampered = token.substring(0, lastDot + 1) + (first == 'A' ? 'B' : 'A') + token.substring(lastDot + 2);
    this.privateJwk = JWK.parse(new String(ring.exportPrivateJwk(kid).revealCopy(), StandardCharsets.UTF_8));
    if (algorithm == SigningAlgorithm.EDDSA) {
      OctetKeyPair okp = privateJwk.toOctetKeyPair();
      KeyFactory ed = KeyFactory.getInstance("Ed25519");
      this.jdkPublicKey = ed.generatePublic(
          new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, okp.getX().decode())));
      this.jdkPrivateKey = ed.generatePrivate(
          new PKCS8EncodedKeySpec(concat(ED25519_PKCS8_PREFIX, okp.getD().decode())));
    } else {
      ECKey ec = privateJwk.toECKey();
      try {
        this.jdkPublicKey = ec.toECPublicKey();
        this.jdkPrivateKey = ec.toECPrivateKey();
      } catch (com.nimbusds.jose.JOSEException e) {
        throw new GeneralSecurityException("cannot convert the P-256 JWK", e);
      }
    }
  }

  /** Builds the fixture; any failure is fatal for the benchmark. */
  static TokenFixture create(SigningAlgorithm algorithm) {
    try {
      return new TokenFixture(algorithm);
    } catch (StoreException | TokenIssuanceException | ParseException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the " + algorithm + " fixture", e);
    }
  }

  /** The JWS {@code alg} name. */
  String alg() {
    return algorithm.jwsName();
  }

  JoinTokenIssuer issuer(InMemoryTokenLedger ledger) {
    return JoinTokenIssuer.builder().mothershipId(MOTHERSHIP).keyRing(ring).ledger(ledger).clock(clock)
        .fingerprint(() -> FINGERPRINT).build();
  }

  static JoinTokenRequest request() {
    return JoinTokenRequest.forSubject(SUBJECT).role(ROLE).build();
  }

  JoinTokenValidator validator(RevocationCheck revocation) {
    return JoinTokenValidator.builder().mothershipId(MOTHERSHIP).keys(ring::publicKeys).clock(clock)
        .acceptedFingerprints(() -> Set.of(FINGERPRINT)).permitRoles(Role.MEMBER, Role.ADMIN, Role.READ_ONLY)
        .revocation(revocation).build();
  }

  /** The claims of a join token issued at {@code iat}, in the issuer's order. */
  Map<String, Object> claims(long iat) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", MOTHERSHIP.value());
    claims.put("sub", SUBJECT);
    claims.put("aud", JoinTokenIssuer.AUDIENCE);
    claims.put("iat", iat);
    claims.put("exp", iat + LIFETIME_SECONDS);
    claims.put("jti", jti);
    claims.put("role", ROLE.wireName());
    claims.put("one_shot", true);
    claims.put("tls_fingerprint", FINGERPRINT.toString());
    return claims;
  }

  /** Now, in whole seconds, as every library writes {@code iat}. */
  long nowSeconds() {
    return clock.millis() / 1000;
  }

  private static byte[] fixedDigest() {
    byte[] digest = new byte[Fingerprint.LENGTH];
    for (int i = 0; i < digest.length; i++) {
      digest[i] = (byte) (0x5a ^ i * 7);
    }
    return digest;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
