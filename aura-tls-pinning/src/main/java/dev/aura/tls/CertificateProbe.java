package dev.aura.tls;

import dev.aura.spi.TransportException;
import dev.aura.tls.internal.CapturingTrustManager;
import dev.aura.tls.internal.PolicySslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The first half of {@code aura mothership repin}: connects to a server, records the certificate it presents
 * and aborts the handshake, trusting nothing and sending no application data. The operator compares the
 * fingerprint shown with the one received out of band; {@link PresentedCertificate#repin(String)} then
 * produces the new pin set only if they are the same.
 *
 * <pre>{@code
 * PresentedCertificate presented =
 *     CertificateProbe.fetch(URI.create("https://mothership.acme.internal:7777"), Duration.ofSeconds(10));
 * System.out.println("fingerprint: " + presented.fingerprint());
 * System.out.println("subject:     " + presented.subject());
 * PinSet pins = presented.repin(fingerprintTheOperatorTyped);     // throws REPIN_NOT_CONFIRMED otherwise
 * }</pre>
 *
 * <p>This is the one place in the module that opens a socket, and only when called.
 *
 * <p><b>Warning:</b> what this returns is whatever answered, possibly an attacker. Showing it is fine;
 * trusting it without the out-of-band comparison defeats pinning.
 */
public final class CertificateProbe {
  /** The Mothership's default port, used when a URL names none. */
  public static final int DEFAULT_PORT = 7777;

  private CertificateProbe() {}

  /**
   * @param url {@code https://host[:port]}; without a port, {@link #DEFAULT_PORT}
   * @param timeout bounds the connect and each read of the handshake
   * @return what the server presented, not trusted
   * @throws TransportException when nothing answered or the handshake failed before a certificate was sent
   */
  public static PresentedCertificate fetch(URI url, Duration timeout) throws TransportException {
    Objects.requireNonNull(url, "url");
    if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("expected a URL such as https://mothership.acme.internal:7777, got "
          + url);
    }
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return fetch(host, url.getPort() < 0 ? DEFAULT_PORT : url.getPort(), timeout);
  }

  /**
   * @param host a host name or IP address literal
   * @param port the TLS port
   * @param timeout bounds the connect and each read of the handshake; positive
   * @return what the server presented, not trusted
   * @throws TransportException when nothing answered or the handshake failed before a certificate was sent
   */
  public static PresentedCertificate fetch(String host, int port, Duration timeout) throws TransportException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    CapturingTrustManager capture = new CapturingTrustManager();
    SSLContext context;
    try {
      SSLContext plain = SSLContext.getInstance("TLS");
      plain.init(null, new TrustManager[] {capture}, null);
      context = PolicySslContext.wrap(plain, TlsContexts.PROTOCOLS, TlsContexts.CIPHER_SUITES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context with this JDK", e);
    }
    String where = host + ":" + port;
    try (Socket raw = new Socket()) {
      try {
        raw.connect(new InetSocketAddress(host, port), millis);
      } catch (IOException e) {
        throw new TransportException("cannot reach " + where + ": " + e, e);
      }
      raw.setSoTimeout(millis);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
        tls.startHandshake();
      } catch (IOException e) {
        if (capture.captured() == null) {
          throw new TransportException("tls handshake failed: " + where + " presented no certificate ("
              + e + ")", e);
        }
      }
    } catch (TransportException e) {
      throw e;
    } catch (IOException e) {
      throw new TransportException("tls handshake failed with " + where + ": " + e, e);
    }
    List<X509Certificate> chain = capture.captured();
    if (chain == null) {
      throw new TransportException("tls handshake with " + where + " completed without a certificate check");
    }
    return new PresentedCertificate(host, port, chain);
  }
}
