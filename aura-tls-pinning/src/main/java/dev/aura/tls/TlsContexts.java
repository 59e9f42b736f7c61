package dev.aura.tls;

import dev.aura.tls.internal.PolicySslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * {@link SSLContext} factories for a pinned client and for a server, both limited to {@link #PROTOCOLS TLS 1.3
 * and 1.2} and {@link #CIPHER_SUITES AEAD suites with forward secrecy}.
 *
 * <pre>{@code
 * // peer
 * SSLContext client = TlsContexts.pinnedClient(PinSet.of(Fingerprint.parse(pinned)), Clock.systemUTC());
 * HttpClient http = HttpClient.newBuilder().sslContext(client).build();
 * // Mothership
 * SSLContext server = TlsContexts.server(ring.current());
 * }</pre>
 *
 * <p>Every socket, server socket and engine the returned contexts create has only the allowed protocols and
 * suites enabled, and their default and supported {@link SSLParameters} list only those. An HTTP stack that
 * configures protocols itself (Jetty's {@code SslContextFactory}, Netty's {@code SslContextBuilder}) should be
 * given {@link #PROTOCOLS} and {@link #CIPHER_SUITES} too, or {@link #applyPolicy} on its parameters.
 *
 * <p><b>Warning:</b> a context calls {@code init} itself; calling {@code init} again is refused. A client
 * context's pins are fixed at creation: after a handover or repin, create a new one.
 */
public final class TlsContexts {
  /** Protocols enabled, in preference order. TLS 1.1 and older are never enabled. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /**
   * Cipher suites enabled, in preference order: the TLS 1.3 suites (RFC 8446 appendix B.4), then TLS 1.2
   * ECDHE suites with AES-GCM or ChaCha20-Poly1305 for ECDSA and RSA certificates. No CBC, no static RSA,
   * no SHA-1 MAC.
   */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_256_GCM_SHA384",
      "TLS_AES_128_GCM_SHA256",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsContexts() {}

  /**
   * A client context that trusts exactly the pinned certificates ({@link PinnedTrustManager}). It presents no
   * client certificate and never resumes a TLS session: each connection runs the full handshake, so the pin
   * windows and the certificate's dates are checked against the clock on every connection.
   *
   * @param pins the fingerprints to accept
   * @param clock the time against which pin windows and certificate validity are checked
   * @return the client context
   */
  public static SSLContext pinnedClient(PinSet pins, Clock clock) {
    TrustManager[] trust = {new PinnedTrustManager(pins, clock)};
    return PolicySslContext.wrap(initialized(null, trust), () -> initialized(null, trust), PROTOCOLS,
        CIPHER_SUITES);
  }

  /**
   * A server context that presents {@code identity}'s chain and accepts TLS 1.3 and 1.2, as
   * {@link #server(TlsIdentity, TlsVersion) server(identity, TlsVersion.TLS_1_2)}. It requests no client
   * certificate; if one is required on a socket, every client certificate is refused.
   *
   * @param identity the certificate chain and key to serve
   * @return the server context
   */
  public static SSLContext server(TlsIdentity identity) {
    return server(identity, TlsVersion.TLS_1_2);
  }

  /**
   * A server context that presents {@code identity}'s chain and accepts {@code minimum} and newer
   * ({@link TlsVersion#protocols()}, {@link TlsVersion#cipherSuites()}). It requests no client certificate; if
   * one is required on a socket, every client certificate is refused.
   *
   * <p>Its engines in server mode refuse client-initiated renegotiation (CVE-2011-1473) with a fatal alert,
   * for this context only: the JVM-wide {@code jdk.tls.rejectClientInitiatedRenegotiation} is not needed
   * and not set. TLS 1.3 has no renegotiation at all.
   *
   * <p><b>Warning:</b> the refusal covers {@link SSLContext#createSSLEngine() engines} (Jetty, Netty, the JDK's
   * {@code HttpsServer}); a blocking {@code SSLServerSocket} from this context does not refuse it. Give an HTTP
   * stack that configures protocols itself {@code minimum.protocols()} and {@code minimum.cipherSuites()}.
   *
   * @param identity the certificate chain and key to serve
   * @param minimum the oldest version accepted; {@link TlsVersion#TLS_1_3} between Aura's own peers
   * @return the server context
   */
  public static SSLContext server(TlsIdentity identity, TlsVersion minimum) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(minimum, "minimum");
    return PolicySslContext.wrapServer(initialized(keyManagers(identity), new TrustManager[0]),
        minimum.protocols(), minimum.cipherSuites());
  }

  /** Key managers that present {@code identity}'s chain, from an in-memory key store with a random password. */
  static KeyManager[] keyManagers(TlsIdentity identity) {
    char[] password = new char[24];
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < password.length; i++) {
      password[i] = (char) ('a' + random.nextInt(26));
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("aura", identity.exportPrivateKey(), password,
          identity.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key manager for " + identity, e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Limits parameters to the allowed protocols and suites, for stacks that build their own.
   *
   * @param parameters modified in place
   * @return {@code parameters}
   */
  public static SSLParameters applyPolicy(SSLParameters parameters) {
    parameters.setProtocols(PROTOCOLS.toArray(new String[0]));
    parameters.setCipherSuites(CIPHER_SUITES.toArray(new String[0]));
    parameters.setUseCipherSuitesOrder(true);
    return parameters;
  }

  static SSLContext initialized(KeyManager[] keyManagers, TrustManager[] trustManagers) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context with this JDK", e);
    }
  }
}
