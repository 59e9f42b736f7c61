package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.aura.spi.Fingerprint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's pinned-client example, against a JDK HTTPS server on 127.0.0.1. */
@Timeout(60)
class ReadmeExampleTest {
  private final TlsIdentity mothership = Fixtures.identity();
  private final Clock clock = Fixtures.fixed(Fixtures.T0.plus(Duration.ofDays(1)));

  @Test
  void pinnedHttpClient_fromTheReadme_fetchesFromThePinnedServer() throws Exception {
    try (Https server = Https.serving(mothership)) {
      // README: pinned client
      Fingerprint pinned = Fingerprint.parse(mothership.fingerprint().toString()); // the tls_fingerprint claim
      SSLContext tls = TlsContexts.pinnedClient(PinSet.of(pinned), clock);
      HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(server.uri("/healthz")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void pinnedHttpClient_toAnotherServer_failsWithTheMismatchReason() throws Exception {
    try (Https server = Https.serving(Fixtures.identity("intercepting-proxy"))) {
      SSLContext tls = TlsContexts.pinnedClient(PinSet.of(mothership.fingerprint()), clock);
      HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();

      assertThatThrownBy(() -> http.send(
          HttpRequest.newBuilder(server.uri("/healthz")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(TlsPinningException.reasonOf(e))
              .contains(TlsPinningException.Reason.FINGERPRINT_MISMATCH));
    }
  }

  /** A JDK HTTPS server answering /healthz, stopped and its executor shut down on close. */
  private static final class Https implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;

    private Https(HttpsServer server, ExecutorService executor) {
      this.server = server;
      this.executor = executor;
    }

    static Https serving(TlsIdentity identity) throws IOException {
      HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.server(identity)));
      server.createContext("/healthz", exchange -> {
        byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      ExecutorService executor = Executors.newFixedThreadPool(2);
      server.setExecutor(executor);
      server.start();
      return new Https(server, executor);
    }

    URI uri(String path) {
      return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
