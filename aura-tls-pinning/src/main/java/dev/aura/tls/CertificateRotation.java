package dev.aura.tls;

import java.util.Objects;

/**
 * The outcome of {@link CertificateRing#rotate}: the ring to use from now on, whose current identity is the
 * new certificate, and the signed handover to send to connected peers.
 *
 * @param ring the rotated ring
 * @param handover "the successor of the old certificate is the new one", signed with the old key
 */
public record CertificateRotation(CertificateRing ring, PinHandover handover) {
  /**
   * Checks for null.
   *
   * @param ring the rotated ring
   * @param handover the signed handover
   */
  public CertificateRotation {
    Objects.requireNonNull(ring, "ring");
    Objects.requireNonNull(handover, "handover");
  }

  /** @return the new certificate and key, to write to disk and serve */
  public TlsIdentity identity() {
    return ring.current();
  }
}
