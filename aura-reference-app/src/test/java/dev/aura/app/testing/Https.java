package dev.aura.app.testing;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/** Raw HTTPS requests to a Mothership, pinned to its certificate, for tests of the wire itself. */
public final class Https {
  private final HttpClient http;
  private final URI base;
  private final SSLContext tls;

  /** @param fingerprint the certificate to pin */
  public Https(URI base, String fingerprint) {
    this.base = base;
    this.tls = TlsContexts.pinnedClient(PinSet.of(Fingerprint.parse(fingerprint)), Clock.systemUTC());
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** @return a request builder for a path, with a timeout */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
  }

  /** Sends a request and returns the response as text. */
  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + request, e);
    }
  }

  /** GET without headers. */
  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  /**
   * Writes {@code request} as it is (request line, headers and whatever body it holds) over a new pinned TLS
   * connection and reads the answer until the server closes it or 10 s pass: for requests an HTTP client would
   * not send as they are, such as headers that announce a body that never comes.
   */
  public String raw(String request) {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(answer);
      } catch (SocketTimeoutException | SSLException e) {
        // a kept-alive connection, or a close without close_notify: what arrived is the answer
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new AssertionError("raw request failed: " + request.lines().findFirst().orElse(""), e);
    }
  }
}
