package dev.aura.app.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.aura.tls.PemFiles;
import dev.aura.tls.SelfSignedCertificateGenerator;
import dev.aura.tls.TlsContexts;
import dev.aura.tls.TlsIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on loopback with a self-signed certificate of its own (its CA file written for the client to
 * trust), for tests that play another party: an identity provider serving a discovery document or a token
 * endpoint's answers. Add routes with {@code server().createContext}.
 */
public final class HttpsTestServer implements AutoCloseable {
  private final HttpsServer server;
  private final Path caFile;

  private HttpsTestServer(HttpsServer server, Path caFile) {
    this.server = server;
    this.caFile = caFile;
  }

  /** Starts one on an ephemeral port; its certificate is written to {@code dir/idp-ca.pem}. */
  public static HttpsTestServer start(Path dir) throws Exception {
    TlsIdentity identity = SelfSignedCertificateGenerator.builder(Clock.systemUTC()).commonName("idp-test")
        .validity(Duration.ofDays(1)).build().generate();
    Path caFile = dir.resolve("idp-ca.pem");
    PemFiles.write(identity, caFile, dir.resolve("idp.key"));
    SSLContext ssl = TlsContexts.server(identity);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.start();
    return new HttpsTestServer(server, caFile);
  }

  /** @return the server, to add routes to */
  public HttpsServer server() {
    return server;
  }

  /** @return the PEM file of its certificate */
  public Path caFile() {
    return caFile;
  }

  /** @return {@code https://127.0.0.1:PORT} */
  public String base() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
