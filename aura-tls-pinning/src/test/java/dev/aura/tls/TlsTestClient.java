package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.internal.Certificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Connects to a loopback server, with bounded timeouts, and reports what the handshake established. */
final class TlsTestClient {
  /** What a successful connection saw. */
  record Connected(Fingerprint serverFingerprint, String protocol, String cipherSuite, String answer) {}

  private TlsTestClient() {}

  static Connected connect(SSLContext context, int port) throws IOException {
    return connect(context, "127.0.0.1", port, null);
  }

  static Connected connect(SSLContext context, String host, int port, String endpointIdentification)
      throws IOException {
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          LoopbackTlsServer.TIMEOUT_MILLIS);
      raw.setSoTimeout(LoopbackTlsServer.TIMEOUT_MILLIS);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
        if (endpointIdentification != null) {
          var parameters = tls.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
          tls.setSSLParameters(parameters);
        }
        tls.startHandshake();
        String answer = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
        return new Connected(Certificates.fingerprint(leaf), tls.getSession().getProtocol(),
            tls.getSession().getCipherSuite(), answer);
      }
    }
  }
}
