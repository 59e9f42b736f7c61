package dev.aura.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** RS256 on the JDK, for legacy integration only. Keys below 2048 bits are refused. */
public final class Rs256Key implements JwsKey {
  private static final int MIN_BITS = 2048;
  private final RSAPublicKey publicKey;
  private final PrivateKey privateKey;
  private final RSAKey jwk;
  private final int signatureLength;

  private Rs256Key(RSAKey jwk) {
    try {
      this.publicKey = jwk.toRSAPublicKey();
      this.privateKey = jwk.isPrivate() ? jwk.toPrivateKey() : null;
    } catch (JOSEException e) {
      throw new IllegalArgumentException("RSA key is not usable", e);
    }
    if (publicKey.getModulus().bitLength() < MIN_BITS) {
      throw new IllegalArgumentException("RSA keys must have at least " + MIN_BITS + " bits");
    }
    this.signatureLength = (publicKey.getModulus().bitLength() + 7) / 8;
    this.jwk = jwk;
  }

  /** Generates a fresh 3072-bit key pair; its kid is the RFC 7638 thumbprint. */
  public static Rs256Key generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(3072, random);
      var pair = generator.generateKeyPair();
      RSAKey unnamed = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
          .privateKey((RSAPrivateKey) pair.getPrivate()).algorithm(JWSAlgorithm.RS256).build();
      return new Rs256Key(new RSAKey.Builder(unnamed).keyID(unnamed.computeThumbprint().toString()).build());
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }

  /** From an RSA JWK. */
  public static Rs256Key fromJwk(RSAKey jwk) {
    return new Rs256Key(jwk);
  }

  @Override
  public String alg() {
    return "RS256";
  }

  @Override
  public int signatureLength() {
    return signatureLength;
  }

  @Override
  public boolean verify(byte[] signingInput, byte[] signature) {
    if (signature.length != signatureLength) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(publicKey);
      verifier.update(signingInput);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
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
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(privateKey);
      signer.update(signingInput);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RS256 signing failed", e);
    }
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
