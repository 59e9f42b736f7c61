package dev.aura.token.internal;

import com.nimbusds.jose.jwk.JWK;

/**
 * One key of a ring, bound to exactly one algorithm. Implementations are immutable and thread-safe.
 * {@link #verify} never throws: anything that does not verify is {@code false}.
 */
public interface JwsKey {
  /** @return the JWS {@code alg} this key is bound to */
  String alg();

  /** @return the exact signature length in bytes */
  int signatureLength();

  /** @return whether {@code signature} is a valid signature of {@code signingInput} under this key */
  boolean verify(byte[] signingInput, byte[] signature);

  /** @return whether this node holds the private key */
  boolean canSign();

  /** Signs; only when {@link #canSign()}. */
  byte[] sign(byte[] signingInput);

  /** @return the public JWK */
  JWK publicJwk();

  /** @return the full JWK including private members; handle as a secret */
  JWK privateJwk();
}
