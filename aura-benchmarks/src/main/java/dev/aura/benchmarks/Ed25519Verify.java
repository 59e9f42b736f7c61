package dev.aura.benchmarks;

import dev.aura.token.SigningAlgorithm;
import java.security.GeneralSecurityException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link VerifyBenchmark} for EdDSA/Ed25519, plus the raw BouncyCastle RFC 8032 verification with a
 * precomputed public point (what Aura's key does), Tink's raw Ed25519 (what Nimbus's own verifier runs on) and
 * Nimbus with Aura's {@code Ed25519Verifier} plugged in.
 * auth0 java-jwt has no EdDSA and is absent here.
 */
public class Ed25519Verify extends VerifyBenchmark {
  private Ed25519.PublicPoint publicPoint;
  private NimbusLibrary nimbusWithAura;
  private com.google.crypto.tink.subtle.Ed25519Verify tink;

  /** For JMH. */
  public Ed25519Verify() {}

  @Override
  SigningAlgorithm algorithm() {
    return SigningAlgorithm.EDDSA;
  }

  @Override
  void setUpAlgorithm() {
    Ed25519.precompute();
    byte[] x = fixture.privateJwk.toOctetKeyPair().getX().decode();
    publicPoint = Ed25519.validatePublicKeyFullExport(x, 0);
    nimbusWithAura = NimbusLibrary.withAuraEd25519(fixture);
    tink = new com.google.crypto.tink.subtle.Ed25519Verify(x);
    check("BouncyCastle Ed25519", this::rawBcVerify, () -> Ed25519.verify(tamperedSignature(), 0,
        publicPoint, fixture.signingInput, 0, fixture.signingInput.length));
    check("Tink Ed25519", this::rawTinkVerify, () -> tinkVerify(tamperedSignature()));
    check("Nimbus with Aura's Ed25519Verifier", () -> nimbusWithAura.verify(token),
        () -> nimbusWithAura.verify(fixture.tampered));
  }

  /**
   * BouncyCastle's low-level {@code Ed25519.verify} with a precomputed {@code PublicPoint}: the floor.
   *
   * @return whether the signature verifies
   */
  @Benchmark
  public boolean rawBcVerify() {
    byte[] input = fixture.signingInput;
    return Ed25519.verify(fixture.signature, 0, publicPoint, input, 0, input.length);
  }

  private boolean tinkVerify(byte[] signature) throws GeneralSecurityException {
    tink.verify(signature, fixture.signingInput);
    return true;
  }

  /**
   * Tink's {@code subtle.Ed25519Verify}, the primitive under Nimbus's own {@code Ed25519Verifier}.
   *
   * @return true; a bad signature throws
   * @throws GeneralSecurityException never for this fixture
   */
  @Benchmark
  public boolean rawTinkVerify() throws GeneralSecurityException {
    return tinkVerify(fixture.signature);
  }

  /**
   * Nimbus parsing and claim checks with Aura's BouncyCastle {@code Ed25519Verifier} instead of Tink's.
   *
   * @return the claims
   * @throws Exception never for this fixture
   */
  @Benchmark
  public Object nimbusWithAuraVerifier() throws Exception {
    return nimbusWithAura.verify(token);
  }
}
