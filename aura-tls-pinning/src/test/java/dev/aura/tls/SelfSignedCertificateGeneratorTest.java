package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateGeneratorTest {
  @Test
  void generate_byDefault_isAnEcP256CertificateValid365DaysFromTheClock() throws Exception {
    TlsIdentity identity = Fixtures.identity();
    X509Certificate certificate = identity.certificate();

    assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(identity.subject()).isEqualTo("CN=aura-mothership");
    assertThat(identity.notBefore()).isEqualTo(Fixtures.T0.minus(Duration.ofMinutes(1)));
    assertThat(identity.notAfter()).isEqualTo(Fixtures.T0.plus(Duration.ofDays(365)));
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    certificate.verify(certificate.getPublicKey());
  }

  @Test
  void generate_withHostNamesAndAddresses_writesThemAndLoopbackAsSubjectAlternativeNames() throws Exception {
    TlsIdentity identity = SelfSignedCertificateGenerator.builder(Fixtures.fixed(Fixtures.T0))
        .hostName("Mothership.ACME.internal").ipAddress("10.0.1.5", "fd00::5").build().generate();

    assertThat(subjectAlternativeNames(identity.certificate(), 2))
        .containsExactly("mothership.acme.internal", "localhost");
    assertThat(subjectAlternativeNames(identity.certificate(), 7))
        .containsExactly("10.0.1.5", "fd00:0:0:0:0:0:0:5", "127.0.0.1", "0:0:0:0:0:0:0:1");
  }

  private static List<String> subjectAlternativeNames(X509Certificate certificate, int type) throws Exception {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names.stream().filter(n -> (Integer) n.get(0) == type).map(n -> (String) n.get(1))
        .collect(Collectors.toList());
  }

  @Test
  void generate_twice_givesFreshKeysAndRandomPositiveSerials() {
    SelfSignedCertificateGenerator generator =
        SelfSignedCertificateGenerator.builder(Fixtures.fixed(Fixtures.T0)).build();

    TlsIdentity first = generator.generate();
    TlsIdentity second = generator.generate();

    assertThat(first.fingerprint()).isNotEqualTo(second.fingerprint());
    assertThat(first.certificate().getPublicKey()).isNotEqualTo(second.certificate().getPublicKey());
    assertThat(first.certificate().getSerialNumber()).isNotEqualTo(second.certificate().getSerialNumber());
    assertThat(first.certificate().getSerialNumber().signum()).isEqualTo(1);
    assertThat(first.certificate().getSerialNumber().bitLength()).isLessThanOrEqualTo(159);
  }

  @Test
  void builder_withValidity_setsNotAfter() {
    TlsIdentity identity = Fixtures.identity(Fixtures.T0, Duration.ofDays(30));

    assertThat(identity.notAfter()).isEqualTo(Fixtures.T0.plus(Duration.ofDays(30)));
  }

  @Test
  void builder_withASettingGivenTwice_throws() {
    SelfSignedCertificateGenerator.Builder builder =
        SelfSignedCertificateGenerator.builder(Fixtures.fixed(Fixtures.T0)).validity(Duration.ofDays(1));

    assertThatThrownBy(() -> builder.validity(Duration.ofDays(2))).isInstanceOf(IllegalStateException.class)
        .hasMessage("validity was already set to PT24H");
  }

  @Test
  void builder_withInvalidNames_throwsNamingTheInput() {
    SelfSignedCertificateGenerator.Builder builder =
        SelfSignedCertificateGenerator.builder(Fixtures.fixed(Fixtures.T0));

    assertThatThrownBy(() -> builder.hostName("bad_host.example")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a DNS host name: \"bad_host.example\" (label \"bad_host\"");
    assertThatThrownBy(() -> builder.hostName("10.0.0.1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"10.0.0.1\" is an IP address; use ipAddress(...)");
    assertThatThrownBy(() -> builder.ipAddress("mothership")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IPv4 or IPv6 address literal: \"mothership\"");
    assertThatThrownBy(() -> builder.validity(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
