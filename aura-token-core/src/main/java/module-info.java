/**
 * Join-token issuance and validation, the signing key ring, typed JWS envelopes and refresh credentials.
 *
 * <p>Everything public is in {@code dev.aura.token}; {@code dev.aura.token.internal} is not exported.
 */
module dev.aura.token {
  requires transitive dev.aura.spi;
  requires transitive com.nimbusds.jose.jwt;
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports dev.aura.token;
}
