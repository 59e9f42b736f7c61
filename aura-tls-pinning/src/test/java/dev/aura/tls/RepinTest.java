package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.TransportException;
import dev.aura.tls.TlsPinningException.Reason;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code aura mothership repin}: fetch without trusting, confirm out of band, then pin. */
@Timeout(30)
class RepinTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final TlsIdentity rotated = Fixtures.identity("mothership-rotated");

  @Test
  void fetch_reportsTheFingerprintAndSubjectTheServerPresents() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(rotated)) {
      PresentedCertificate presented = CertificateProbe.fetch("127.0.0.1", server.port(), TIMEOUT);

      assertThat(presented.fingerprint()).isEqualTo(rotated.fingerprint());
      assertThat(presented.subject()).isEqualTo("CN=mothership-rotated");
      assertThat(presented.notAfter()).isEqualTo(rotated.notAfter());
      assertThat(presented.host()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void fetch_abortsTheHandshakeSoTheServerNeverCompletesIt() throws Exception {
    LoopbackTlsServer server = LoopbackTlsServer.serving(rotated);
    try {
      CertificateProbe.fetch(URI.create("https://127.0.0.1:" + server.port()), TIMEOUT);
    } finally {
      server.close(); // joins the server thread, so its failures are all recorded
    }

    // The server sees the probe's alert (certificate_unknown) or, if the probe closed first, a broken
    // connection; either way the handshake never completed.
    assertThat(server.completedHandshakes()).isZero();
    assertThat(server.failures()).hasSize(1);
    assertThat(server.failures().get(0)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void repin_withTheSameFingerprintInOpensslForm_givesAPinSetThatConnects() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(rotated)) {
      PresentedCertificate presented = CertificateProbe.fetch("127.0.0.1", server.port(), TIMEOUT);

      PinSet pins = presented.repin("SHA256 Fingerprint=" + rotated.fingerprint().toOpensslString() + "\n");

      assertThat(pins.pins()).containsExactly(Pin.of(rotated.fingerprint()));
      assertThat(TlsTestClient.connect(TlsContexts.pinnedClient(pins, Fixtures.fixed(Fixtures.T0)),
          server.port()).answer()).isEqualTo("ok");
    }
  }

  @Test
  void repin_withADifferentFingerprint_isRefusedNamingBoth() throws Exception {
    TlsIdentity expected = Fixtures.identity();
    try (LoopbackTlsServer interceptor = LoopbackTlsServer.serving(rotated)) {
      PresentedCertificate presented = CertificateProbe.fetch("127.0.0.1", interceptor.port(), TIMEOUT);

      assertThatThrownBy(() -> presented.repin(expected.fingerprint().toString()))
          .isInstanceOf(TlsPinningException.class)
          .hasFieldOrPropertyWithValue("reason", Reason.REPIN_NOT_CONFIRMED)
          .hasMessage("repin not confirmed: fingerprint does not match: 127.0.0.1:" + interceptor.port()
              + " presented " + rotated.fingerprint() + " (subject CN=mothership-rotated), confirmed was "
              + expected.fingerprint() + "; the pin is unchanged");
    }
  }

  @Test
  void repin_withSomethingThatIsNotAFingerprint_isRefusedSayingWhy() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(rotated)) {
      PresentedCertificate presented = CertificateProbe.fetch("127.0.0.1", server.port(), TIMEOUT);

      assertThatThrownBy(() -> presented.repin("yes"))
          .isInstanceOf(TlsPinningException.class)
          .hasFieldOrPropertyWithValue("reason", Reason.REPIN_NOT_CONFIRMED)
          .hasMessageStartingWith("repin not confirmed: fingerprint does not match: the confirmed value is not a"
              + " fingerprint (fingerprint has 3 characters")
          .hasMessageContaining("presented " + rotated.fingerprint());
    }
  }

  @Test
  void fetch_fromAPortWhereNothingListens_isATransportFailure() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }

    assertThatThrownBy(() -> CertificateProbe.fetch("127.0.0.1", closedPort, TIMEOUT))
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith("cannot reach 127.0.0.1:" + closedPort);
  }

  @Test
  void fetch_fromAServerThatSpeaksNoTls_isATransportFailureWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> CertificateProbe.fetch("127.0.0.1", silent.getLocalPort(),
          Duration.ofMillis(300)))
          .isInstanceOf(TransportException.class)
          .hasMessageStartingWith("tls handshake failed: 127.0.0.1:" + silent.getLocalPort()
              + " presented no certificate")
          .hasMessageContaining("Read timed out");
    }
  }
}
