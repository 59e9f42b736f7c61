package dev.aura.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ES256 (ECDSA P-256, SHA-256, JOSE R||S encoding, RFC 7518 section 3.4) on BouncyCastle's low-level ECDSA
 * with its optimised P-256 curve. Signing is deterministic (RFC 6979). A signature is exactly 64 bytes and r
 * and s must lie in [1, n-1]. The one ES256 implementation: the key ring and the public
 * {@code Es256Verifier}/{@code Es256Signer} both run on it.
 */
public final class Es256Key implements JwsKey {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final int HALF = 32;

  private final ECPublicKeyParameters publicKey;
  private final ECPrivateKeyParameters privateKey;
  private final ECKey jwk;

  private Es256Key(ECKey jwk) {
    if (!Curve.P_256.equals(jwk.getCurve())) {
      throw new IllegalArgumentException("EC key is not on P-256");
    }
    ECPoint q = DOMAIN.getCurve().createPoint(
        jwk.getX().decodeToBigInteger(), jwk.getY().decodeToBigInteger());
    if (!q.isValid() || q.isInfinity()) {
      throw new IllegalArgumentException("P-256 public key is not a valid point");
    }
    this.publicKey = new ECPublicKeyParameters(q, DOMAIN);
    if (jwk.getD() == null) {
      this.privateKey = null;
    } else {
      BigInteger d = jwk.getD().decodeToBigInteger();
      if (d.signum() <= 0 || d.compareTo(DOMAIN.getN()) >= 0) {
        throw new IllegalArgumentException("P-256 private key is out of range [1, n-1]");
      }
      if (!DOMAIN.getG().multiply(d).normalize().equals(q.normalize())) {
        throw new IllegalArgumentException("P-256 private key does not match its public key (x, y)");
      }
      this.privateKey = new ECPrivateKeyParameters(d, DOMAIN);
    }
    this.jwk = jwk;
  }

  /** Generates a fresh key pair; its kid is the RFC 7638 thumbprint. */
  public static Es256Key generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      var pair = generator.generateKeyPair();
      ECKey unnamed = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
          .privateKey((ECPrivateKey) pair.getPrivate()).algorithm(JWSAlgorithm.ES256).build();
      return new Es256Key(new ECKey.Builder(unnamed).keyID(unnamed.computeThumbprint().toString()).build());
    } catch (java.security.GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  /**
   * From JCA keys, for a signer named by certificate rather than by a ring's kid.
   *
   * @param publicKey an EC public key on P-256
   * @param privateKey its private key, or null to verify only
   * @throws IllegalArgumentException if a key is not EC P-256 or the two do not match
   */
  public static Es256Key fromJca(PublicKey publicKey, PrivateKey privateKey) {
    if (!(publicKey instanceof ECPublicKey ec) || !Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
      throw new IllegalArgumentException("not an EC P-256 public key");
    }
    ECKey.Builder jwk = new ECKey.Builder(Curve.P_256, ec);
    if (privateKey != null) {
      if (!(privateKey instanceof ECPrivateKey ecPrivate)) {
        throw new IllegalArgumentException("not an EC P-256 private key");
      }
      jwk.privateKey(ecPrivate);
    }
    return new Es256Key(jwk.build());
  }

  /** From an EC JWK on P-256. */
  public static Es256Key fromJwk(ECKey jwk) {
    return new Es256Key(jwk);
  }

  @Override
  public String alg() {
    return "ES256";
  }

  @Override
  public int signatureLength() {
    return HALF * 2;
  }

  @Override
  public boolean verify(byte[] signingInput, byte[] signature) {
    if (signature.length != HALF * 2) {
      return false;
    }
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, HALF));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, HALF, HALF * 2));
    BigInteger n = DOMAIN.getN();
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, publicKey);
    return verifier.verifySignature(sha256(signingInput), r, s);
  }

  @Override
  public boolean canSign() {
    return privateKey != null;
  }

  @Override
  public byte[] sign(byte[] signingInput) {
    if (privateKey == null) {
      throw new IllegalStateException("this node holds only the public key");
    }
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(sha256(signingInput));
    byte[] out = new byte[HALF * 2];
    writeFixed(rs[0], out, 0);
    writeFixed(rs[1], out, HALF);
    return out;
  }

  private static void writeFixed(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int copy = Math.min(bytes.length, HALF);
    System.arraycopy(bytes, bytes.length - copy, out, offset + HALF - copy, copy);
  }

  private static byte[] sha256(byte[] input) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(input, 0, input.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  @Override
  public JWK publicJwk() {
    return jwk.toPublicJWK();
  }

  @Override
  public JWK privateJwk() {
    return jwk;
  }
}
