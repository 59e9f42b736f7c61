package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.tls.internal.AnyCertificateTrustManager;
import dev.aura.tls.internal.Certificates;
import dev.aura.tls.internal.PolicySslContext;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * Mutual TLS between two peers, on each peer's own key pair ({@link PeerKeys}): one {@link SSLContext} for
 * both ends of a direct connection, and the fingerprint of the certificate the other side presented, which
 * the peer identity it then shows must be bound to.
 *
 * <pre>{@code
 * TlsIdentity me = PeerKeys.loadOrGenerate(auraHome.resolve("peer-tls"), clock);
 * SSLContext tls = PeerTls.context(me);
 * // accepting side: tls.getServerSocketFactory() or tls.createSSLEngine() in server mode (client auth required)
 * // connecting side: tls.getSocketFactory().createSocket(host, port)
 * socket.startHandshake();
 * Fingerprint theirs = PeerTls.presentedFingerprint(socket.getSession());
 * send(myIdentity.compact());                                   // both sides, first message
 * VerifiedPeerIdentity them = identityVerifier.verify(receivedIdentity, theirs);   // only now authenticated
 * }</pre>
 *
 * <p>The contexts speak TLS 1.3 only, present this peer's certificate on both ends, require the other side's
 * certificate ({@code needClientAuth} on every socket, server socket and engine in server mode) and never
 * resume a session (each connection comes from a fresh context, so every handshake proves possession of the
 * key afresh).
 *
 * <p><b>Warning: a handshake with these contexts authenticates nobody.</b> At the TLS layer they accept any
 * certificate at all, self-signed, expired or otherwise, because peers have no certificate authority: the
 * handshake only proves that the other side holds the private key of the certificate it presented. The
 * connection is authenticated once, and only once, the other peer's identity verifies
 * ({@code PeerIdentityVerifier.verify(identity, PeerTls.presentedFingerprint(session))} in the token core): it
 * must be signed by the Mothership and bound to exactly that certificate. Exchange nothing but identities
 * before that, and close the connection if the identity is refused.
 */
public final class PeerTls {
  private PeerTls() {}

  /**
   * @param own this peer's key pair and self-signed certificate
   * @return a context for both ends of a peer-to-peer connection, as described in the class documentation
   */
  public static SSLContext context(TlsIdentity own) {
    Objects.requireNonNull(own, "own");
    KeyManager[] keys = TlsContexts.keyManagers(own);
    TrustManager[] trust = {new AnyCertificateTrustManager()};
    return PolicySslContext.wrapMutual(TlsContexts.initialized(keys, trust),
        () -> TlsContexts.initialized(keys, trust), TlsVersion.TLS_1_3.protocols(),
        TlsVersion.TLS_1_3.cipherSuites());
  }

  /**
   * @param session the session of a completed handshake, on either end
   * @return the SHA-256 fingerprint of the leaf certificate the other side presented: what its peer identity
   *     must be bound to
   * @throws TlsPinningException {@code NO_CERTIFICATE} when the other side presented none (or the handshake
   *     has not completed)
   */
  public static Fingerprint presentedFingerprint(SSLSession session) throws TlsPinningException {
    Objects.requireNonNull(session, "session");
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new TlsPinningException(Reason.NO_CERTIFICATE, "the other peer presented no certificate on this"
          + " session (" + session.getProtocol() + ")", e);
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new TlsPinningException(Reason.NO_CERTIFICATE, "the other peer presented no X.509 certificate");
    }
    return Certificates.fingerprint(leaf);
  }
}
