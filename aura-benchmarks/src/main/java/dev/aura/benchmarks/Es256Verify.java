package dev.aura.benchmarks;

import dev.aura.token.SigningAlgorithm;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link VerifyBenchmark} for ES256 (ECDSA P-256, SHA-256), plus the raw BouncyCastle {@code ECDSASigner} on
 * its optimised secp256r1 curve (what Aura's key does) and auth0 java-jwt.
 */
public class Es256Verify extends VerifyBenchmark {
  private ECDSASigner bc;
  private Auth0Library auth0;

  /** For JMH. */
  public Es256Verify() {}

  @Override
  SigningAlgorithm algorithm() {
    return SigningAlgorithm.ES256;
  }

  @Override
  void setUpAlgorithm() {
    bc = new ECDSASigner();
    bc.init(false, bcPublicKey((ECPublicKey) fixture.jdkPublicKey));
    auth0 = new Auth0Library(fixture);
    check("BouncyCastle ECDSA", this::rawBcVerify, () -> bcVerify(tamperedSignature()));
    check("auth0 java-jwt", () -> auth0.verify(token), () -> auth0.verify(fixture.tampered));
  }

  static ECPublicKeyParameters bcPublicKey(ECPublicKey key) {
    X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
    ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    return new ECPublicKeyParameters(curve.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()),
        domain);
  }

  static byte[] sha256(byte[] input) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(input, 0, input.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  private boolean bcVerify(byte[] signature) {
    BigInteger r = new BigInteger(1, signature, 0, 32);
    BigInteger s = new BigInteger(1, signature, 32, 32);
    return bc.verifySignature(sha256(fixture.signingInput), r, s);
  }

  /**
   * BouncyCastle's low-level {@code ECDSASigner} on {@code CustomNamedCurves} secp256r1, SHA-256 included:
   * the floor.
   *
   * @return whether the signature verifies
   */
  @Benchmark
  public boolean rawBcVerify() {
    return bcVerify(fixture.signature);
  }

  /**
   * auth0 java-jwt: {@code JWTVerifier.verify} with issuer, audience, {@code sub} and {@code jti} required.
   *
   * @return the decoded token
   */
  @Benchmark
  public Object auth0Verify() {
    return auth0.verify(token);
  }
}
