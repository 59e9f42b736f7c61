package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import dev.aura.spi.Fingerprint;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mothership's TLS as a scanner sees it, on a real loopback socket: TLS 1.3 only by default; with
 * {@code [tls] min_version = "1.2"} TLS 1.2 too, and a client-initiated renegotiation is answered with a fatal
 * alert before any second handshake (CVE-2011-1473). The pinned peer client connects to both.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MothershipTlsTest {
  @TempDir
  Path temp;

  @Test
  void defaultServer_refusesATls12OnlyClient_andServesTls13() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      try (SSLSocket socket = client(m, "TLSv1.2")) {
        assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("protocol_version");
      }
      try (SSLSocket socket = client(m, "TLSv1.3")) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(new Https(m.url(), fingerprint(m)).get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tls12Server_refusesClientRenegotiation_withAFatalAlert_beforeASecondHandshake() throws Exception {
    assertThat(System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation")).isNull();
    try (MothershipFixture m = MothershipFixture.builder(temp).config("[tls]\nmin_version = \"1.2\"\n").start();
        SSLSocket socket = client(m, "TLSv1.2")) {
      List<HandshakeCompletedEvent> completed = new CopyOnWriteArrayList<>();
      socket.addHandshakeCompletedListener(completed::add);
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      byte[] firstSession = socket.getSession().getId();

      assertThatThrownBy(() -> {
        socket.startHandshake(); // a renegotiation: the second ClientHello on this connection
        socket.getInputStream().read();
      }).isInstanceOf(SSLException.class).hasMessageContaining("Received fatal alert: protocol_version");

      // The alert answered the ClientHello: no ServerHello, so no second handshake, and the connection is over.
      assertThat(socket.isClosed()).isTrue();
      assertThat(completed).allSatisfy(e -> assertThat(e.getSession().getId()).isEqualTo(firstSession));
    }
  }

  @Test
  void tls12Server_servesTls12_andThePinnedClientStillGetsTls13() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config("[tls]\nmin_version = \"1.2\"\n").start()) {
      try (SSLSocket socket = client(m, "TLSv1.2")) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      }
      try (SSLSocket socket = client(m, null)) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(new Https(m.url(), fingerprint(m)).get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  private static String fingerprint(MothershipFixture m) {
    return m.host("mothership", "tls", "info").field("fingerprint");
  }

  /** A pinned client socket; {@code only} restricts it to one protocol. */
  private static SSLSocket client(MothershipFixture m, String only) throws IOException {
    SSLSocket socket = (SSLSocket) TlsContexts.pinnedClient(PinSet.of(Fingerprint.parse(fingerprint(m))),
        Clock.systemUTC()).getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), m.url().getPort());
    socket.setSoTimeout(30_000); // a guard against a hang, not a measurement
    if (only != null) {
      socket.setEnabledProtocols(new String[] {only});
    }
    return socket;
  }
}
