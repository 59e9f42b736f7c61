package dev.aura.app.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.Wire;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import dev.aura.tls.TlsPinningException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Talks to a Mothership over HTTPS pinned to its certificate (JDK {@link HttpClient} with
 * {@link TlsContexts#pinnedClient}), sending the protocol version on every request. Failures become
 * {@link AuraException}s with the product's wording: {@code tls handshake failed} / {@code tls fingerprint
 * mismatch: ...}, {@code tls: certificate has expired}, {@code protocol version mismatch (peer: v1,
 * mothership: v2)}, {@code token expired}, {@code peer revoked}...
 *
 * <pre>{@code
 * MothershipClient client = new MothershipClient(URI.create("https://mship:7777"), pins, clock, 1,
 *     Duration.ofSeconds(10));
 * MothershipClient.Reply reply = client.get("/v1/ping", credential);
 * }</pre>
 */
public final class MothershipClient {
  /** What an instance that cannot reach its database answers ({@code store_unavailable}, HTTP 503). */
  public static final String STORE_UNREACHABLE = "store unreachable";
  private final URI base;
  private final Clock clock;
  private final int protocolVersion;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the JSON body
   * @param sentAt when the request was sent, by the client's clock ({@code t1})
   * @param roundTrip how long it took, by the client's monotonic timer
   */
  public record Reply(int status, ObjectNode body, Instant sentAt, Duration roundTrip) {
    /** @return {@code t1}: when the request was sent, by the client's clock */
    public Instant t1() {
      return sentAt;
    }

    /**
     * @return {@code t4}: when the answer arrived, by the client's clock: {@code t1} plus the round trip
     *     timed monotonically, so a clock step during the exchange cannot make it precede {@code t1}
     */
    public Instant t4() {
      return sentAt.plus(roundTrip);
    }

    /**
     * @return the server's clock minus the client's with its bound: by NTP's formula from
     *     {@code server_received_at} and {@code server_sent_at}, or, from a Mothership that only sends
     *     {@code server_time}, assuming it answered half-way through the round trip (uncertainty: half the
     *     round trip); empty when the reply carries no server time
     */
    public Optional<ClockOffset> clockOffset() {
      try {
        if (body.hasNonNull("server_received_at") && body.hasNonNull("server_sent_at")) {
          String received = body.get("server_received_at").asText();
          String sent = body.get("server_sent_at").asText();
          return Optional.of(ClockOffset.ntp(t1(), Instant.parse(received), Instant.parse(sent), t4(),
              resolution(received, sent)));
        }
      } catch (RuntimeException e) {
        // malformed: try server_time
      }
      if (!body.hasNonNull("server_time")) {
        return Optional.empty();
      }
      try {
        String text = body.get("server_time").asText();
        return Optional.of(ClockOffset.midpoint(sentAt, Instant.parse(text), roundTrip, resolution(text)));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    /** The finest unit the timestamps are written in (ISO-8601 prints 0, 3, 6 or 9 fractional digits). */
    private static Duration resolution(String... timestamps) {
      int digits = 0;
      for (String t : timestamps) {
        int dot = t.indexOf('.');
        if (dot >= 0) {
          int end = dot + 1;
          while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
          }
          digits = Math.max(digits, Math.min(9, end - dot - 1));
        }
      }
      return Duration.ofNanos((long) Math.pow(10, 9 - digits));
    }
  }

  /**
   * @param base the Mothership's URL, {@code https://host:port}
   * @param pins the certificate fingerprints to accept
   * @param clock checks pin windows and certificate dates, and times replies
   * @param protocolVersion the protocol version to send
   * @param timeout bounds the connect and each request
   */
  public MothershipClient(URI base, PinSet pins, Clock clock, int protocolVersion, Duration timeout) {
    this.base = checkUrl(base);
    this.clock = clock;
    this.protocolVersion = protocolVersion;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().sslContext(TlsContexts.pinnedClient(pins, clock))
        .connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * Checks a Mothership URL as an operator types it: {@code https://host[:port]}, port 7777 by default.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static URI checkUrl(URI url) {
    if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null
        || (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/"))
        || url.getQuery() != null || url.getUserInfo() != null) {
      throw new IllegalArgumentException("expected a URL such as https://mothership.acme.internal:7777, got '"
          + url + "'");
    }
    int port = url.getPort() < 0 ? 7777 : url.getPort();
    return URI.create("https://" + (url.getHost().contains(":") && !url.getHost().startsWith("[")
        ? "[" + url.getHost() + "]" : url.getHost()) + ":" + port);
  }

  /** @return the Mothership's URL */
  public URI base() {
    return base;
  }

  /** @return {@code host:port} */
  public String hostPort() {
    return base.getHost() + ":" + base.getPort();
  }

  /** GETs a route; the bearer may be null. */
  public Reply get(String path, String bearer) throws AuraException {
    return send(request(path, bearer).GET().build());
  }

  /** POSTs JSON to a route; the bearer may be null. */
  public Reply post(String path, ObjectNode body, String bearer) throws AuraException {
    return send(request(path, bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Wire.write(body))).build());
  }

  /** PUTs raw bytes (a content blob) to a route; answered with JSON. */
  public Reply putBytes(String path, byte[] content, String bearer) throws AuraException {
    return send(request(path, bearer).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
  }

  /**
   * GETs raw bytes (a content blob) from a route, as a stream the caller closes.
   *
   * @throws AuraException with the Mothership's wording when it refuses
   */
  public java.io.InputStream getBytes(String path, String bearer) throws AuraException {
    HttpRequest request = request(path, bearer).header("Accept", "application/octet-stream").GET().build();
    HttpResponse<java.io.InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw transportFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuraException("interrupted while talking to " + hostPort());
    }
    checkProtocolHeader(response);
    if (response.statusCode() == 200) {
      return response.body();
    }
    String text;
    try (java.io.InputStream in = response.body()) {
      text = new String(in.readNBytes(Wire.MAX_BODY_BYTES), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw transportFailure(e);
    }
    try {
      ObjectNode body = Wire.parseObject(text);
      throw new AuraException(body.path("error").asText("HTTP " + response.statusCode()),
          body.hasNonNull("detail") ? body.get("detail").asText() : null);
    } catch (IllegalArgumentException e) {
      throw new AuraException("unexpected answer from " + hostPort(), "HTTP " + response.statusCode());
    }
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
        .header(Wire.PROTOCOL_HEADER, Integer.toString(protocolVersion))
        .header("Accept", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b;
  }

  private Reply send(HttpRequest request) throws AuraException {
    Instant sentAt = clock.instant();
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw transportFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuraException("interrupted while talking to " + hostPort());
    }
    Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
    ObjectNode body;
    try {
      body = Wire.parseObject(response.body());
    } catch (IllegalArgumentException e) {
      checkProtocolHeader(response);
      throw new AuraException("unexpected answer from " + hostPort(), "HTTP " + response.statusCode()
          + " without a JSON body: is this a Mothership?");
    }
    if (response.statusCode() >= 400) {
      throw new Refused(response.statusCode(), body);
    }
    checkProtocolHeader(response);
    return new Reply(response.statusCode(), body, sentAt, roundTrip);
  }

  private void checkProtocolHeader(HttpResponse<?> response) throws AuraException {
    Optional<String> theirs = response.headers().firstValue(Wire.PROTOCOL_HEADER);
    if (theirs.isPresent() && !theirs.get().trim().equals(Integer.toString(protocolVersion))) {
      throw new AuraException(mismatch(theirs.get().trim()), Wire.MISMATCH_FIX);
    }
  }

  private String mismatch(String theirs) {
    return "protocol version mismatch (peer: v" + protocolVersion + ", mothership: v" + theirs + ")";
  }

  /** Maps a transport failure to the operator's wording. */
  public AuraException transportFailure(Throwable e) {
    Throwable t = unwrap(e);
    Optional<TlsPinningException> pin = TlsPinningException.find(t);
    if (pin.isPresent()) {
      if (pin.get().reason() == TlsPinningException.Reason.CERTIFICATE_EXPIRED) {
        return new AuraException(pin.get().reason().text(), pin.get().detail());
      }
      return new AuraException("tls handshake failed", pin.get().getMessage());
    }
    if (find(t, SSLException.class) != null) {
      return new AuraException("tls handshake failed", String.valueOf(find(t, SSLException.class).getMessage()));
    }
    if (find(t, HttpConnectTimeoutException.class) != null) {
      return new AuraException("cannot reach " + hostPort(), "tcp connect: timeout");
    }
    if (find(t, HttpTimeoutException.class) != null || find(t, TimeoutException.class) != null) {
      return new AuraException("no answer from " + hostPort(), "request timed out after "
          + timeout.toSeconds() + "s");
    }
    if (find(t, UnresolvedAddressException.class) != null || find(t, UnknownHostException.class) != null) {
      return new AuraException("cannot reach " + hostPort(), "unknown host " + base.getHost());
    }
    ConnectException refused = find(t, ConnectException.class);
    if (refused != null) {
      String message = refused.getMessage();
      return new AuraException("cannot reach " + hostPort(), "tcp connect: "
          + (message == null || message.toLowerCase().contains("refused") ? "connection refused" : message));
    }
    return new AuraException("cannot reach " + hostPort(), t.getMessage() == null ? t.toString() : t.getMessage());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  /**
   * Opens the control connection ({@link Wire#CONTROL}) with the refresh credential.
   *
   * @throws AuraException when the connection is refused (the caller may ask {@code /v1/ping} why), or
   *     {@link #STORE_UNREACHABLE} when the instance cannot reach its database
   */
  public WebSocket openControl(String credential, WebSocket.Listener listener) throws AuraException {
    URI uri = URI.create("wss://" + base.getHost() + ":" + base.getPort() + Wire.CONTROL);
    try {
      return http.newWebSocketBuilder().connectTimeout(timeout)
          .header(Wire.PROTOCOL_HEADER, Integer.toString(protocolVersion))
          .header("Authorization", "Bearer " + credential)
          .buildAsync(uri, listener).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        if (h.getResponse().statusCode() == 503) { // the only 503 of the control endpoint: no database
          throw new AuraException(STORE_UNREACHABLE, "HTTP 503");
        }
        throw new AuraException("control connection refused", "HTTP " + h.getResponse().statusCode());
      }
      throw transportFailure(e);
    } catch (TimeoutException e) {
      throw new AuraException("no answer from " + hostPort(), "control connection timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuraException("interrupted while connecting to " + hostPort());
    }
  }
}
