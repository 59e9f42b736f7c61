package dev.aura.tls.internal;

import dev.aura.tls.TlsPinningException;
import dev.aura.tls.TlsPinningException.Reason;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any certificate the other peer presents and refuses none at all, so that the handshake proves only
 * that the other side holds the private key of the certificate it showed. Who that is, is decided afterwards
 * by the peer identity bound to the certificate's fingerprint. For peer-to-peer connections only.
 */
public final class AnyCertificateTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private static void requireCertificate(X509Certificate[] chain, String side) throws TlsPinningException {
    if (chain == null || chain.length == 0 || chain[0] == null) {
      throw new TlsPinningException(Reason.NO_CERTIFICATE, "the other peer (" + side + ") presented no"
          + " certificate; peer-to-peer connections are mutual TLS");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws TlsPinningException {
    requireCertificate(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws TlsPinningException {
    requireCertificate(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws TlsPinningException {
    requireCertificate(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws TlsPinningException {
    requireCertificate(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws TlsPinningException {
    requireCertificate(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws TlsPinningException {
    requireCertificate(chain, "server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
