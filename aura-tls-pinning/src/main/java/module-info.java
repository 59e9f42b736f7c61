/**
 * TLS pinning for the Aura Mothership: self-signed certificates, SHA-256 fingerprints, pinned trust managers,
 * certificate rotation with signed pin handovers, repin and expiry monitoring; a peer's own key pair and
 * mutual TLS between peers.
 *
 * <p>Only {@code dev.aura.tls} is exported; {@code dev.aura.tls.internal} is implementation.
 */
module dev.aura.tls {
  requires transitive dev.aura.spi;
  requires dev.aura.token;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.slf4j;

  exports dev.aura.tls;
}
