package dev.aura.tls;

import dev.aura.tls.internal.Certificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Watches a certificate's remaining lifetime: the {@value #METRIC} gauge, the {@value #HEALTHZ_REASON} health
 * reason under {@link #EXPIRING_SOON 7 days}, and the {@link #ALERT_THRESHOLD 30-day} alert the troubleshooting
 * guide recommends ({@code aura_tls_cert_not_after_seconds < 30 * 86400}).
 *
 * <pre>{@code
 * ExpiryMonitor monitor = new ExpiryMonitor(clock);
 * ExpiryStatus status = monitor.check(ring.current().certificate());
 * metrics.gauge(ExpiryMonitor.METRIC, status.secondsUntilNotAfter());
 * status.healthzReason().ifPresent(reason -> health.degraded(reason));
 * }</pre>
 *
 * <p>Immutable and safe for concurrent use.
 */
public final class ExpiryMonitor {
  /** Gauge of the seconds from now until the served certificate's {@code notAfter}. */
  public static final String METRIC = "aura_tls_cert_not_after_seconds";
  /** The {@code /healthz} reason while the certificate expires within {@link #EXPIRING_SOON}. */
  public static final String HEALTHZ_REASON = "tls_cert_expiring_soon";
  /** Under this much time left, the certificate is expiring soon. */
  public static final Duration EXPIRING_SOON = Duration.ofDays(7);
  /** Under this much time left, alert: 30 * 86400 seconds. */
  public static final Duration ALERT_THRESHOLD = Duration.ofDays(30);

  private final Clock clock;

  /** @param clock the time the remaining lifetime is measured from */
  public ExpiryMonitor(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param certificate the certificate served
   * @return whole seconds from now until {@code notAfter}; negative once expired
   */
  public long secondsUntilNotAfter(X509Certificate certificate) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    return Duration.between(clock.instant(), notAfter).getSeconds();
  }

  /**
   * @param certificate the certificate served
   * @return the remaining lifetime and its level: {@code EXPIRED} after {@code notAfter}, {@code
   *     EXPIRING_SOON} under 7 days, {@code ALERT} under 30 days, else {@code OK}
   */
  public ExpiryStatus check(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    Instant now = clock.instant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    long seconds = Duration.between(now, notAfter).getSeconds();
    ExpiryStatus.Level level;
    if (now.isAfter(notAfter)) {
      level = ExpiryStatus.Level.EXPIRED;
    } else if (Duration.between(now, notAfter).compareTo(EXPIRING_SOON) < 0) {
      level = ExpiryStatus.Level.EXPIRING_SOON;
    } else if (Duration.between(now, notAfter).compareTo(ALERT_THRESHOLD) < 0) {
      level = ExpiryStatus.Level.ALERT;
    } else {
      level = ExpiryStatus.Level.OK;
    }
    return new ExpiryStatus(Certificates.fingerprint(certificate), notAfter, seconds, level);
  }
}
