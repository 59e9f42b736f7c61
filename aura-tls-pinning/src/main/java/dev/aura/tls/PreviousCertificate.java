package dev.aura.tls;

import java.time.Instant;
import java.util.Objects;

/**
 * A certificate the Mothership has rotated away from, still accepted (for join tokens pinned to it) until
 * {@code retireAt}.
 *
 * @param identity the old certificate and key
 * @param handover the signed handover that succeeded it; {@code handover.from()} is its fingerprint
 */
public record PreviousCertificate(TlsIdentity identity, PinHandover handover) {
  /**
   * Checks that the handover is the one that succeeded this certificate.
   *
   * @param identity the old certificate and key
   * @param handover the handover whose {@code from} is the old certificate's fingerprint
   */
  public PreviousCertificate {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(handover, "handover");
    if (!handover.from().equals(identity.fingerprint())) {
      throw new IllegalArgumentException("handover from " + handover.from() + " does not succeed certificate "
          + identity.fingerprint());
    }
  }

  /** @return the instant from which this certificate is no longer accepted */
  public Instant retireAt() {
    return handover.retireAt();
  }

  /**
   * @param now the instant to check
   * @return whether it is still accepted at {@code now} ({@code now < retireAt})
   */
  public boolean inGraceAt(Instant now) {
    return now.isBefore(retireAt());
  }
}
