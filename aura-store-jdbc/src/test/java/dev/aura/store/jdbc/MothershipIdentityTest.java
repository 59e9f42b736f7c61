package dev.aura.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MothershipIdentityTest {
  private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\nAbCdEf==\n"
      + "-----END CERTIFICATE-----\n";

  @Test
  void sameCertificatePem_ignoresLineBreaksAndTheFinalNewline_only() {
    assertThat(MothershipIdentity.sameCertificatePem(PEM, PEM.replace("\n", "\r\n"))).isTrue();
    assertThat(MothershipIdentity.sameCertificatePem(PEM, PEM.strip())).isTrue();
    assertThat(MothershipIdentity.sameCertificatePem(PEM,
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUAbCdEf==\n-----END CERTIFICATE-----")).isTrue();

    assertThat(MothershipIdentity.sameCertificatePem(PEM, PEM.replace("AbCdEf", "AbCdEe"))).isFalse();
    assertThat(MothershipIdentity.sameCertificatePem(PEM, PEM.replace("AbCdEf", "abcdef"))).isFalse();
    assertThat(MothershipIdentity.sameCertificatePem(PEM, null)).isFalse();
    assertThat(MothershipIdentity.sameCertificatePem(null, null)).isFalse();
  }
}
