package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server contexts refuse client-initiated renegotiation (CVE-2011-1473) on a real loopback socket, through an
 * engine-based server (the JDK's {@code HttpsServer}), without the JVM-wide
 * {@code jdk.tls.rejectClientInitiatedRenegotiation}. Without the refusal the JDK would renegotiate and the
 * read would wait for data that never comes. {@code HttpsServer} closes without sending the fatal alert the
 * engine queues; Jetty sends it ({@code MothershipTlsTest} in the reference app asserts the alert).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientRenegotiationTest {
  private final TlsIdentity identity = Fixtures.identity();
  private final Clock clock = Fixtures.fixed(Fixtures.T0.plus(Duration.ofDays(1)));

  @Test
  void renegotiation_fromTls12Client_isRefusedWithAFatalAlert_andNoSecondHandshakeCompletes() throws Exception {
    assertThat(System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation")).isNull();
    try (Server server = Server.serving(TlsContexts.server(identity, TlsVersion.TLS_1_2));
        SSLSocket socket = tls12Client(server.port())) {
      List<HandshakeCompletedEvent> completed = new CopyOnWriteArrayList<>();
      socket.addHandshakeCompletedListener(completed::add);
      socket.startHandshake();
      String firstSession = hex(socket.getSession().getId());
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");

      assertThatThrownBy(() -> {
        socket.startHandshake(); // the renegotiation: a second ClientHello
        socket.getInputStream().read();
      }).isInstanceOf(SSLHandshakeException.class); // HttpsServer drops the alert; Jetty sends it (app tests)

      assertThat(socket.isClosed()).as("the connection ended").isTrue();
      assertThat(completed).allSatisfy(e -> assertThat(hex(e.getSession().getId())).isEqualTo(firstSession));
    }
  }

  @Test
  void tls12Server_stillServesTls12Requests() throws Exception {
    try (Server server = Server.serving(TlsContexts.server(identity, TlsVersion.TLS_1_2));
        SSLSocket socket = tls12Client(server.port())) {
      socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok");
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void tls13Server_refusesATls12Client_andServesTls13() throws Exception {
    try (Server server = Server.serving(TlsContexts.server(identity, TlsVersion.TLS_1_3))) {
      try (SSLSocket socket = tls12Client(server.port())) {
        assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
      }
      try (SSLSocket socket = client(server.port())) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
    }
  }

  @Test
  void tlsVersion_parsesOnlyTheConfigForms() {
    assertThat(TlsVersion.parse("1.2")).isEqualTo(TlsVersion.TLS_1_2);
    assertThat(TlsVersion.parse("1.3").toString()).isEqualTo("1.3");
    assertThat(TlsVersion.TLS_1_3.protocols()).containsExactly("TLSv1.3");
    assertThat(TlsVersion.TLS_1_3.cipherSuites()).allSatisfy(s -> assertThat(s).doesNotContain("ECDHE"));
    assertThatThrownBy(() -> TlsVersion.parse("TLSv1.2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported TLS version 'TLSv1.2' (accepted: \"1.2\", \"1.3\")");
    assertThatThrownBy(() -> TlsVersion.parse("1.1")).isInstanceOf(IllegalArgumentException.class);
  }

  private SSLSocket client(int port) throws IOException {
    SSLContext pinned = TlsContexts.pinnedClient(PinSet.of(identity.fingerprint()), clock);
    SSLSocket socket = (SSLSocket) pinned.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000); // a guard against a hang, not a measurement
    return socket;
  }

  private SSLSocket tls12Client(int port) throws IOException {
    SSLSocket socket = client(port);
    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
    return socket;
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }

  /** A JDK HTTPS server (SSLEngine-based) answering /healthz with "ok". */
  private static final class Server implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;

    private Server(HttpsServer server, ExecutorService executor) {
      this.server = server;
      this.executor = executor;
    }

    static Server serving(SSLContext context) throws IOException {
      HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.setHttpsConfigurator(new HttpsConfigurator(context));
      server.createContext("/healthz", exchange -> {
        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      ExecutorService executor = Executors.newFixedThreadPool(2);
      server.setExecutor(executor);
      server.start();
      return new Server(server, executor);
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
