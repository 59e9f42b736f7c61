package dev.aura.app.testing;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** Raw HTTPS requests to a Mothership, pinned to its certificate, for tests of the wire itself. */
public final class Https {
  private final HttpClient http;
  private final URI base;

  /** @param fingerprint the certificate to pin */
  public Https(URI base, String fingerprint) {
    this.base = base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TlsContexts.pinnedClient(PinSet.of(Fingerprint.parse(fingerprint)), Clock.systemUTC()))
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
}
