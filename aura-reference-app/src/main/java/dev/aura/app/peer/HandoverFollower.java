package dev.aura.app.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.tls.PinHandover;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import dev.aura.tls.TlsPinningException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets a peer whose pinned certificate was rotated away follow the rotation on its own, while the old
 * certificate is in its grace: it fetches {@code /v1/pins} over a connection it does <em>not</em> trust, and
 * applies only handovers that verify against its current pins ({@link PinHandover#verify}: signed with the
 * key of a certificate it pins). An attacker answering instead cannot forge a handover, so nothing is trusted
 * that the pins did not vouch for. After the grace the Mothership no longer serves the handover and the peer
 * must {@code repin}.
 */
public final class HandoverFollower {
  private HandoverFollower() {}

  /**
   * @return the pins after applying every handover that verifies, if that changed them; empty when nothing
   *     applicable was served (or the Mothership could not be reached)
   */
  public static Optional<PinSet> follow(URI base, PinSet pins, Clock clock, int protocolVersion,
      Duration timeout) {
    HttpClient http = HttpClient.newBuilder().sslContext(unverified()).connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1).build();
    ObjectNode body;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(Wire.PINS)).timeout(timeout)
          .header(Wire.PROTOCOL_HEADER, Integer.toString(protocolVersion)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      body = Wire.parseObject(response.body());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
    PinSet current = pins;
    for (JsonNode h : body.path("handovers")) {
      try {
        current = current.apply(PinHandover.verify(h.asText(), current, clock));
      } catch (TlsPinningException notForUs) {
        // signed by a certificate we never pinned, or already applied: skip it
      }
    }
    return current.equals(pins) ? Optional.empty() : Optional.of(current);
  }

  /** A TLS context that checks nothing: only for fetching self-authenticating, signed handovers. */
  private static SSLContext unverified() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAnything()}, null);
      SSLParameters parameters = context.getDefaultSSLParameters();
      TlsContexts.applyPolicy(parameters);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  private static final class AcceptAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("client certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      // deliberately nothing: the payload is verified by signature
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("client certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      // deliberately nothing: the payload is verified by signature
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // deliberately nothing: the payload is verified by signature
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
