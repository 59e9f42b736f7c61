package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How close a certificate is to its {@code notAfter}, as {@link ExpiryMonitor#check} saw it.
 *
 * @param fingerprint the certificate's fingerprint
 * @param notAfter its last valid instant
 * @param secondsUntilNotAfter the value of the {@value ExpiryMonitor#METRIC} metric; negative once expired
 * @param level the most urgent level reached
 */
public record ExpiryStatus(Fingerprint fingerprint, Instant notAfter, long secondsUntilNotAfter, Level level) {
  /** Urgency, least to most. */
  public enum Level {
    /** 30 days or more left. */
    OK,
    /** Under 30 days left: the alert threshold of the troubleshooting guide. Rotate soon. */
    ALERT,
    /** Under 7 days left: {@code /healthz} reports {@value ExpiryMonitor#HEALTHZ_REASON}. Rotate now. */
    EXPIRING_SOON,
    /** Past {@code notAfter}: peers refuse it with "tls: certificate has expired". */
    EXPIRED
  }

  /**
   * Checks for null.
   *
   * @param fingerprint the certificate's fingerprint
   * @param notAfter its last valid instant
   * @param secondsUntilNotAfter seconds from now until {@code notAfter}; negative once expired
   * @param level the most urgent level reached
   */
  public ExpiryStatus {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(level, "level");
  }

  /** @return whether the alert threshold (under 30 days) is reached */
  public boolean alert() {
    return level.compareTo(Level.ALERT) >= 0;
  }

  /**
   * @return {@value ExpiryMonitor#HEALTHZ_REASON} when under 7 days are left (expired included), for a
   *     degraded {@code /healthz}; empty otherwise
   */
  public Optional<String> healthzReason() {
    return level.compareTo(Level.EXPIRING_SOON) >= 0 ? Optional.of(ExpiryMonitor.HEALTHZ_REASON)
        : Optional.empty();
  }
}
