package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryMonitorTest {
  private final TlsIdentity identity = Fixtures.identity();
  private final Instant notAfter = identity.notAfter();

  private ExpiryStatus at(Instant now) {
    return new ExpiryMonitor(Fixtures.fixed(now)).check(identity.certificate());
  }

  @Test
  void check_withMoreThan30DaysLeft_isOkWithTheSecondsAsTheMetric() {
    ExpiryStatus status = at(Fixtures.T0);

    assertThat(status.level()).isEqualTo(ExpiryStatus.Level.OK);
    assertThat(status.secondsUntilNotAfter()).isEqualTo(365L * 86_400);
    assertThat(status.alert()).isFalse();
    assertThat(status.healthzReason()).isEmpty();
    assertThat(status.fingerprint()).isEqualTo(identity.fingerprint());
    assertThat(ExpiryMonitor.METRIC).isEqualTo("aura_tls_cert_not_after_seconds");
  }

  @Test
  void check_atExactly30DaysLeft_isStillOk_andOneSecondLessAlerts() {
    assertThat(at(notAfter.minus(Duration.ofDays(30))).level()).isEqualTo(ExpiryStatus.Level.OK);

    ExpiryStatus status = at(notAfter.minus(Duration.ofDays(30)).plusSeconds(1));

    assertThat(status.level()).isEqualTo(ExpiryStatus.Level.ALERT);
    assertThat(status.secondsUntilNotAfter()).isEqualTo(30L * 86_400 - 1);
    assertThat(status.alert()).isTrue();
    assertThat(status.healthzReason()).isEmpty();
  }

  @Test
  void check_underSevenDaysLeft_isExpiringSoonWithTheHealthzReason() {
    assertThat(at(notAfter.minus(Duration.ofDays(7))).level()).isEqualTo(ExpiryStatus.Level.ALERT);

    ExpiryStatus status = at(notAfter.minus(Duration.ofDays(7)).plusSeconds(1));

    assertThat(status.level()).isEqualTo(ExpiryStatus.Level.EXPIRING_SOON);
    assertThat(status.healthzReason()).contains("tls_cert_expiring_soon");
    assertThat(status.alert()).isTrue();
  }

  @Test
  void check_afterNotAfter_isExpiredWithNegativeSeconds() {
    assertThat(at(notAfter).level()).isEqualTo(ExpiryStatus.Level.EXPIRING_SOON);

    ExpiryStatus status = at(notAfter.plusSeconds(10));

    assertThat(status.level()).isEqualTo(ExpiryStatus.Level.EXPIRED);
    assertThat(status.secondsUntilNotAfter()).isEqualTo(-10);
    assertThat(status.healthzReason()).contains("tls_cert_expiring_soon");
  }

  @Test
  void secondsUntilNotAfter_countsFromTheInjectedClock() {
    ExpiryMonitor monitor = new ExpiryMonitor(Fixtures.fixed(notAfter.minusSeconds(42)));

    assertThat(monitor.secondsUntilNotAfter(identity.certificate())).isEqualTo(42);
  }
}
