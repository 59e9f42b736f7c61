package dev.aura.token.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 on BouncyCastle's low-level RFC 8032 implementation. The public point is decoded and validated once,
 * so verification does not repeat the point decompression.
 */
public final class Ed25519Key implements JwsKey {
  static {
    Ed25519.precompute();
  }

  private final byte[] publicKey;
  private final Ed25519.PublicPoint publicPoint;
  private final byte[] privateKey;
  private final OctetKeyPair jwk;

  private Ed25519Key(byte[] publicKey, byte[] privateKey, String kid) {
    this.publicKey = publicKey;
    this.publicPoint = Ed25519.validatePublicKeyFullExport(publicKey, 0);
    if (publicPoint == null) {
      throw new IllegalArgumentException("Ed25519 public key is not a valid point");
    }
    this.privateKey = privateKey;
    OctetKeyPair.Builder builder = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(publicKey))
        .algorithm(JWSAlgorithm.EdDSA);
    if (privateKey != null) {
      builder.d(Base64URL.encode(privateKey));
    }
    OctetKeyPair unnamed = builder.build();
    try {
      this.jwk = new OctetKeyPair.Builder(unnamed)
          .keyID(kid != null ? kid : unnamed.computeThumbprint().toString()).build();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("cannot compute key thumbprint", e);
    }
  }

  /** Generates a fresh key pair; its kid is the RFC 7638 thumbprint. */
  public static Ed25519Key generate(SecureRandom random) {
    byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
    Ed25519.generatePrivateKey(random, sk);
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(sk, 0, pk, 0);
    return new Ed25519Key(pk, sk, null);
  }

  /** From raw RFC 8032 bytes (used by known-answer tests and the Nimbus adapters). */
  public static Ed25519Key fromRaw(byte[] publicKey, byte[] privateKeyOrNull, String kid) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE
        || (privateKeyOrNull != null && privateKeyOrNull.length != Ed25519.SECRET_KEY_SIZE)) {
      throw new IllegalArgumentException("Ed25519 keys are 32 bytes");
    }
    return new Ed25519Key(publicKey.clone(), privateKeyOrNull == null ? null : privateKeyOrNull.clone(), kid);
  }

  /** From an OKP JWK with curve Ed25519. */
  public static Ed25519Key fromJwk(OctetKeyPair okp) {
    if (!Curve.Ed25519.equals(okp.getCurve())) {
      throw new IllegalArgumentException("OKP key is not on Ed25519");
    }
    byte[] d = okp.getD() == null ? null : okp.getD().decode();
    return fromRaw(okp.getX().decode(), d, okp.getKeyID());
  }

  @Override
  public String alg() {
    return "EdDSA";
  }

  @Override
  public int signatureLength() {
    return Ed25519.SIGNATURE_SIZE;
  }

  @Override
  public boolean verify(byte[] signingInput, byte[] signature) {
    return signature.length == Ed25519.SIGNATURE_SIZE
        && Ed25519.verify(signature, 0, publicPoint, signingInput, 0, signingInput.length);
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
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(privateKey, 0, publicKey, 0, signingInput, 0, signingInput.length, sig, 0);
    return sig;
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
