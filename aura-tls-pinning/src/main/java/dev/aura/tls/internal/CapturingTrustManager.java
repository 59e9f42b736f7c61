package dev.aura.tls.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Records the chain a server presents and then refuses it, so that the handshake stops before any
 * application data is exchanged with a server nobody has vouched for. For repin only.
 */
public final class CapturingTrustManager extends X509ExtendedTrustManager {
  private final AtomicReference<List<X509Certificate>> captured = new AtomicReference<>();

  /** @return the chain the server presented, leaf first, or null when the handshake did not get that far */
  public List<X509Certificate> captured() {
    return captured.get();
  }

  private void capture(X509Certificate[] chain) throws CertificateException {
    if (chain != null && chain.length > 0) {
      captured.set(List.of(chain));
    }
    throw new CertificateException("certificate captured for repin; the connection is not trusted");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    capture(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    capture(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    capture(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("client certificates are not accepted here");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("client certificates are not accepted here");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("client certificates are not accepted here");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
