package dev.aura.benchmarks;

import dev.aura.token.SigningAlgorithm;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link SignBenchmark} for ES256, plus raw BouncyCastle ECDSA signing (deterministic, RFC 6979, as Aura's key
 * signs) and auth0 java-jwt.
 */
public class Es256Sign extends SignBenchmark {
  private ECDSASigner bc;
  private Auth0Library auth0;

  /** For JMH. */
  public Es256Sign() {}

  @Override
  SigningAlgorithm algorithm() {
    return SigningAlgorithm.ES256;
  }

  @Override
  void setUpAlgorithm() {
    ECPrivateKeyParameters key = new ECPrivateKeyParameters(((ECPrivateKey) fixture.jdkPrivateKey).getS(),
        Es256Verify.bcPublicKey((java.security.interfaces.ECPublicKey) fixture.jdkPublicKey).getParameters());
    bc = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    bc.init(true, key);
    auth0 = new Auth0Library(fixture);
    // RFC 6979 signatures are deterministic: the same key over the same input gives the token's signature.
    Sanity.mustEqual("BouncyCastle's signature", fixture.signature, rawBcSign());
    mustValidate("auth0 java-jwt", auth0Sign());
  }

  /**
   * BouncyCastle's low-level {@code ECDSASigner} with RFC 6979 nonces on secp256r1, SHA-256 and the 64-byte
   * R||S encoding included: the floor.
   *
   * @return the signature
   */
  @Benchmark
  public byte[] rawBcSign() {
    BigInteger[] rs = bc.generateSignature(Es256Verify.sha256(fixture.signingInput));
    byte[] out = new byte[64];
    BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
    BigIntegers.asUnsignedByteArray(rs[1], out, 32, 32);
    return out;
  }

  /**
   * auth0 java-jwt: {@code JWT.create() ... sign(Algorithm.ECDSA256(...))}.
   *
   * @return the compact token
   */
  @Benchmark
  public String auth0Sign() {
    return auth0.sign(fixture.nowSeconds());
  }
}
