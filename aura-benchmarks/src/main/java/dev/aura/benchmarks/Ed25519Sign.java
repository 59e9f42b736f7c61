package dev.aura.benchmarks;

import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.aura.token.SigningAlgorithm;
import java.security.GeneralSecurityException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link SignBenchmark} for EdDSA/Ed25519, plus raw BouncyCastle RFC 8032 signing, Tink's raw Ed25519 (what
 * Nimbus's own signer runs on) and Nimbus with Aura's {@code Ed25519Signer} plugged in.
 */
public class Ed25519Sign extends SignBenchmark {
  private com.google.crypto.tink.subtle.Ed25519Sign tink;
  private byte[] secretKey;
  private byte[] publicKey;
  private NimbusLibrary nimbusWithAura;

  /** For JMH. */
  public Ed25519Sign() {}

  @Override
  SigningAlgorithm algorithm() {
    return SigningAlgorithm.EDDSA;
  }

  @Override
  void setUpAlgorithm() throws Exception {
    Ed25519.precompute();
    OctetKeyPair okp = fixture.privateJwk.toOctetKeyPair();
    secretKey = okp.getD().decode();
    publicKey = okp.getX().decode();
    nimbusWithAura = NimbusLibrary.withAuraEd25519(fixture);
    tink = new com.google.crypto.tink.subtle.Ed25519Sign(secretKey);
    // Ed25519 is deterministic: the same key over the same input gives the token's own signature.
    Sanity.mustEqual("BouncyCastle's signature", fixture.signature, rawBcSign());
    Sanity.mustEqual("the JDK's signature", fixture.signature, rawJdkSign());
    Sanity.mustEqual("Tink's signature", fixture.signature, rawTinkSign());
    mustValidate("Nimbus with Aura's Ed25519Signer", nimbusWithAuraSigner());
  }

  /**
   * BouncyCastle's low-level {@code Ed25519.sign} over the token's signing input: the floor.
   *
   * @return the signature
   */
  @Benchmark
  public byte[] rawBcSign() {
    byte[] input = fixture.signingInput;
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(secretKey, 0, publicKey, 0, input, 0, input.length, signature, 0);
    return signature;
  }

  /**
   * Tink's {@code subtle.Ed25519Sign}, the primitive under Nimbus's own {@code Ed25519Signer}.
   *
   * @return the signature
   * @throws GeneralSecurityException never for this fixture
   */
  @Benchmark
  public byte[] rawTinkSign() throws GeneralSecurityException {
    return tink.sign(fixture.signingInput);
  }

  /**
   * Nimbus building and signing the claims with Aura's BouncyCastle {@code Ed25519Signer}.
   *
   * @return the compact token
   * @throws Exception never for this fixture
   */
  @Benchmark
  public String nimbusWithAuraSigner() throws Exception {
    return nimbusWithAura.sign(fixture.nowSeconds());
  }
}
