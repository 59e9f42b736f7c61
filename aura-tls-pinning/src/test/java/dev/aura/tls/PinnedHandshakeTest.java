package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aura.tls.TlsPinningException.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real TLS handshakes between a pinned client and a server on 127.0.0.1. */
@Timeout(30)
class PinnedHandshakeTest {
  private static final Instant NOW = Fixtures.T0.plus(Duration.ofDays(10));
  private final Clock clock = Fixtures.fixed(NOW);
  private final TlsIdentity a = Fixtures.identity("mothership-a");
  private final TlsIdentity b = Fixtures.identity("proxy-b");

  @Test
  void connect_withPinnedCertificate_succeedsOverTls13() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(a)) {
      TlsTestClient.Connected connected =
          TlsTestClient.connect(TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock), server.port());

      assertThat(connected.answer()).isEqualTo("ok");
      assertThat(connected.serverFingerprint()).isEqualTo(a.fingerprint());
      assertThat(connected.protocol()).isEqualTo("TLSv1.3");
      assertThat(TlsContexts.CIPHER_SUITES).contains(connected.cipherSuite());
    }
  }

  @Test
  void connect_withCertificateNotPinned_isRefusedNamingBothFingerprints() throws Exception {
    try (LoopbackTlsServer interceptor = LoopbackTlsServer.serving(b)) {
      SSLContext pinnedToA = TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock);

      SSLHandshakeException refused = catchThrowableOfType(SSLHandshakeException.class,
          () -> TlsTestClient.connect(pinnedToA, interceptor.port()));

      assertThat(TlsPinningException.reasonOf(refused)).contains(Reason.FINGERPRINT_MISMATCH);
      assertThat(refused.getMessage())
          .startsWith("tls fingerprint mismatch: server presented " + b.fingerprint())
          .contains("(subject CN=proxy-b)")
          .contains("pinned: " + a.fingerprint() + " (no retirement)");
    }
  }

  @Test
  void connect_withMismatch_carriesTheReasonInTheCauseChain() throws Exception {
    try (LoopbackTlsServer interceptor = LoopbackTlsServer.serving(b)) {
      SSLHandshakeException refused = catchThrowableOfType(SSLHandshakeException.class,
          () -> TlsTestClient.connect(TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock),
              interceptor.port()));

      TlsPinningException cause = TlsPinningException.find(refused).orElseThrow();
      assertThat(cause.reason().code()).isEqualTo("fingerprint_mismatch");
      assertThat(cause.detail()).startsWith("server presented " + b.fingerprint());
    }
  }

  @Test
  void connect_withExpiredPinnedCertificate_isRefusedAsExpired() throws Exception {
    TlsIdentity expired = Fixtures.identity(Fixtures.T0, Duration.ofDays(1));
    Instant afterNotAfter = expired.notAfter().plusSeconds(1);
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(expired)) {
      SSLContext client =
          TlsContexts.pinnedClient(PinSet.of(expired.fingerprint()), Fixtures.fixed(afterNotAfter));

      SSLHandshakeException refused = catchThrowableOfType(SSLHandshakeException.class,
          () -> TlsTestClient.connect(client, server.port()));

      assertThat(TlsPinningException.reasonOf(refused)).contains(Reason.CERTIFICATE_EXPIRED);
      assertThat(refused.getMessage()).startsWith("tls: certificate has expired: subject CN=aura-mothership")
          .contains("valid until " + expired.notAfter()).contains("now " + afterNotAfter);
    }
  }

  @Test
  void connect_atExactlyNotAfter_succeedsBecauseNotAfterIsInclusive() throws Exception {
    TlsIdentity expiring = Fixtures.identity(Fixtures.T0, Duration.ofDays(1));
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(expiring)) {
      SSLContext client =
          TlsContexts.pinnedClient(PinSet.of(expiring.fingerprint()), Fixtures.fixed(expiring.notAfter()));

      assertThat(TlsTestClient.connect(client, server.port()).answer()).isEqualTo("ok");
    }
  }

  @Test
  void connect_beforeNotBefore_isRefusedAsNotYetValid() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(a)) {
      SSLContext client = TlsContexts.pinnedClient(PinSet.of(a.fingerprint()),
          Fixtures.fixed(a.notBefore().minusSeconds(1)));

      SSLHandshakeException refused = catchThrowableOfType(SSLHandshakeException.class,
          () -> TlsTestClient.connect(client, server.port()));

      assertThat(TlsPinningException.reasonOf(refused)).contains(Reason.CERTIFICATE_NOT_YET_VALID);
      assertThat(refused.getMessage()).startsWith("tls: certificate is not yet valid");
    }
  }

  @Test
  void connect_withExpiredCertificateNotPinned_isReportedAsMismatchFirst() throws Exception {
    TlsIdentity expired = Fixtures.identity(Fixtures.T0, Duration.ofDays(1));
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(expired)) {
      SSLHandshakeException refused = catchThrowableOfType(SSLHandshakeException.class,
          () -> TlsTestClient.connect(TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock),
              server.port()));

      assertThat(TlsPinningException.reasonOf(refused)).contains(Reason.FINGERPRINT_MISMATCH);
    }
  }

  @Test
  void connect_withHostNameCheckRequested_isDecidedByThePinAlone() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(a)) {
      SSLContext client = TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock);

      // The certificate does not name this host; the pin decides, not the host name.
      assertThat(TlsTestClient.connect(client, "not-in-the-certificate.example", server.port(), "HTTPS")
          .answer()).isEqualTo("ok");
    }
    try (LoopbackTlsServer interceptor = LoopbackTlsServer.serving(b)) {
      SSLContext client = TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock);

      // A matching host name does not rescue an unpinned certificate.
      assertThatThrownBy(() -> TlsTestClient.connect(client, "localhost", interceptor.port(), "HTTPS"))
          .isInstanceOf(SSLHandshakeException.class).hasMessageStartingWith("tls fingerprint mismatch");
    }
  }

  @Test
  void connect_againWithTheSameContextAfterThePinRetired_isRefusedBecauseSessionsAreNotResumed()
      throws Exception {
    ManualClock manual = new ManualClock(NOW);
    PinSet pins = PinSet.builder().pin(a.fingerprint(), NOW.plusSeconds(60)).build();
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(a)) {
      SSLContext client = TlsContexts.pinnedClient(pins, manual);
      assertThat(TlsTestClient.connect(client, server.port()).answer()).isEqualTo("ok");

      manual.advance(Duration.ofSeconds(60));

      assertThatThrownBy(() -> TlsTestClient.connect(client, server.port()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("pinned: " + a.fingerprint() + " (retired at " + NOW.plusSeconds(60) + ")");
    }
  }

  @Test
  void pinnedClientSockets_enableOnlyTls13And12WithAeadSuites() throws Exception {
    SSLSocketFactory factory = TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock).getSocketFactory();
    try (SSLSocket tls = (SSLSocket) factory.createSocket()) {
      assertThat(tls.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
      assertThat(tls.getEnabledCipherSuites()).containsExactlyElementsOf(TlsContexts.CIPHER_SUITES);
    }
  }

  @Test
  void server_refusesAClientOfferingOnlyACbcSuite() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(a);
        Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
      raw.setSoTimeout(5_000);
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new TrustManager[] {new TrustAllForTest()}, null);
      try (SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket(raw, "127.0.0.1",
          server.port(), false)) {
        tls.setEnabledProtocols(new String[] {"TLSv1.2"});
        tls.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});

        assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("handshake_failure");
      }
    }
  }

  @Test
  void server_acceptsTls12WithAnAeadSuite() throws Exception {
    try (LoopbackTlsServer server = LoopbackTlsServer.serving(a);
        Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
      raw.setSoTimeout(5_000);
      SSLSocketFactory factory = TlsContexts.pinnedClient(PinSet.of(a.fingerprint()), clock).getSocketFactory();
      try (SSLSocket tls = (SSLSocket) factory.createSocket(raw, "127.0.0.1", server.port(), false)) {
        tls.setEnabledProtocols(new String[] {"TLSv1.2"});
        tls.startHandshake();

        assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(tls.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
      }
    }
  }

  /** Accepts any server, so that only the cipher suite decides the outcome. */
  /** Trusts every certificate and presents none: a client that checks nothing. */
  static final class TrustAllForTest extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
