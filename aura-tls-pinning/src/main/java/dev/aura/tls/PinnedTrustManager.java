package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.tls.internal.Certificates;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer exactly when its leaf certificate's SHA-256 fingerprint is in the {@link PinSet} with a pin
 * not retired at the clock's now, and the certificate is within its validity period at that now (RFC 5280
 * section 4.1.2.5, both ends inclusive). Nothing else: no CA chain, no host name, no revocation check adds
 * trust, so none can replace or weaken the pin; intermediate certificates the peer sends are ignored.
 *
 * <pre>{@code
 * SSLContext context = TlsContexts.pinnedClient(pins, clock);   // uses this trust manager
 * }</pre>
 *
 * <p>Refusals are {@link TlsPinningException}s (a {@link java.security.cert.CertificateException}):
 * <ul>
 *   <li>{@code FINGERPRINT_MISMATCH}: "tls fingerprint mismatch: server presented FP (subject S); pinned: FP1
 *       (no retirement), FP2 (retired at T)";
 *   <li>{@code CERTIFICATE_EXPIRED}: "tls: certificate has expired: subject S, fingerprint FP, valid until T,
 *       now N";
 *   <li>{@code CERTIFICATE_NOT_YET_VALID} and {@code NO_CERTIFICATE}.
 * </ul>
 * The fingerprint is checked first, so an interceptor's certificate is reported as a mismatch whatever its
 * dates. See {@link TlsPinningException#reasonOf} for getting the reason out of the handshake exception.
 *
 * <p>Immutable and safe for concurrent use. Because it extends {@link X509ExtendedTrustManager}, the JDK does
 * not wrap it with its own host name checks; an endpoint identification algorithm set on the socket is
 * deliberately ignored.
 *
 * <p><b>Warning:</b> the JDK consults a trust manager only on a full handshake; a resumed TLS session skips
 * it, and with it the pin windows and dates. {@link TlsContexts#pinnedClient} therefore never resumes
 * sessions; if you install this trust manager in a context of your own, do the same.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final PinSet pins;
  private final Clock clock;

  /**
   * @param pins the fingerprints to accept
   * @param clock the time against which pin windows and certificate validity are checked
   */
  public PinnedTrustManager(PinSet pins, Clock clock) {
    this.pins = Objects.requireNonNull(pins, "pins");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @return the pins this trust manager accepts */
  public PinSet pins() {
    return pins;
  }

  /**
   * Checks a peer's certificate chain as a handshake would, outside of one.
   *
   * @param chain the peer's chain, leaf first
   * @param peer "server" or "client", for the message
   * @throws TlsPinningException when the leaf is not accepted
   */
  public void check(X509Certificate[] chain, String peer) throws TlsPinningException {
    if (chain == null || chain.length == 0 || chain[0] == null) {
      throw new TlsPinningException(Reason.NO_CERTIFICATE, peer + " presented no certificate; pinned: "
          + pins.describe(clock.instant()));
    }
    X509Certificate leaf = chain[0];
    Instant now = clock.instant();
    Fingerprint presented = Certificates.fingerprint(leaf);
    if (!pins.accepts(presented, now)) {
      throw new TlsPinningException(Reason.FINGERPRINT_MISMATCH, peer + " presented " + presented
          + " (subject " + Certificates.subject(leaf) + "); pinned: " + pins.describe(now));
    }
    Certificates.checkValidity(leaf, now);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws TlsPinningException {
    check(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws TlsPinningException {
    check(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws TlsPinningException {
    check(chain, "server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws TlsPinningException {
    check(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws TlsPinningException {
    check(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws TlsPinningException {
    check(chain, "client");
  }

  /** @return no issuers: trust comes from pins, not from certificate authorities */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
