/**
 * TLS pinning for the Aura Mothership.
 *
 * <ul>
 *   <li>Identities: {@link dev.aura.tls.SelfSignedCertificateGenerator}, {@link dev.aura.tls.TlsIdentity},
 *       {@link dev.aura.tls.PemFiles}.
 *   <li>Trust: {@link dev.aura.tls.PinSet} of {@link dev.aura.tls.Pin}s, {@link dev.aura.tls.PinnedTrustManager},
 *       {@link dev.aura.tls.TlsContexts}. Fingerprints are {@link dev.aura.spi.Fingerprint}s.
 *   <li>Rotation: {@link dev.aura.tls.CertificateRing} (server), {@link dev.aura.tls.PinHandover} (peer).
 *   <li>Repin: {@link dev.aura.tls.CertificateProbe}, {@link dev.aura.tls.PresentedCertificate}.
 *   <li>Monitoring: {@link dev.aura.tls.ExpiryMonitor}, {@link dev.aura.tls.ExpiryStatus}.
 *   <li>Every rejection: {@link dev.aura.tls.TlsPinningException} with its
 *       {@link dev.aura.tls.TlsPinningException.Reason}.
 * </ul>
 *
 * <p>Every time comparison takes an injected {@link java.time.Clock}.
 */
package dev.aura.tls;
