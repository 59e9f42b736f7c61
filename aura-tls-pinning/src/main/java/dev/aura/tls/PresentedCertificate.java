package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.tls.internal.Certificates;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The certificate a server presented to {@link CertificateProbe#fetch}, not trusted. Shows its fingerprint,
 * subject and dates; {@link #repin(String)} turns it into a pin set once a person confirms the fingerprint.
 *
 * <p>Immutable; only a probe creates one.
 */
public final class PresentedCertificate {
  private final String host;
  private final int port;
  private final List<X509Certificate> chain;
  private final Fingerprint fingerprint;

  PresentedCertificate(String host, int port, List<X509Certificate> chain) {
    this.host = host;
    this.port = port;
    this.chain = List.copyOf(chain);
    this.fingerprint = Certificates.fingerprint(this.chain.get(0));
  }

  /** @return the host that was probed */
  public String host() {
    return host;
  }

  /** @return the port that was probed */
  public int port() {
    return port;
  }

  /** @return the leaf certificate the server presented */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** @return everything the server presented, leaf first */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** @return the leaf's SHA-256 fingerprint, to show for confirmation */
  public Fingerprint fingerprint() {
    return fingerprint;
  }

  /** @return the leaf's subject, such as {@code CN=aura-mothership} */
  public String subject() {
    return Certificates.subject(certificate());
  }

  /** @return the leaf's {@code notBefore} */
  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  /** @return the leaf's {@code notAfter} */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /**
   * Produces the new pin set, holding only the presented fingerprint, when {@code confirmed} (received out of
   * band, typed or pasted by the operator, canonical or openssl form) is the same fingerprint. The bytes are
   * compared in constant time.
   *
   * @param confirmed the fingerprint the operator was given
   * @return a pin set of the presented fingerprint, without retirement
   * @throws TlsPinningException {@code REPIN_NOT_CONFIRMED}, naming both fingerprints, when they differ or
   *     {@code confirmed} is not a fingerprint
   */
  public PinSet repin(String confirmed) throws TlsPinningException {
    Objects.requireNonNull(confirmed, "confirmed");
    Fingerprint supplied;
    try {
      supplied = Fingerprint.parse(confirmed.strip());
    } catch (IllegalArgumentException e) {
      throw new TlsPinningException(Reason.REPIN_NOT_CONFIRMED, "the confirmed value is not a fingerprint ("
          + e.getMessage() + "); " + host + ":" + port + " presented " + fingerprint + " (subject " + subject()
          + ")");
    }
    if (!MessageDigest.isEqual(fingerprint.toByteArray(), supplied.toByteArray())) {
      throw new TlsPinningException(Reason.REPIN_NOT_CONFIRMED, host + ":" + port + " presented " + fingerprint
          + " (subject " + subject() + "), confirmed was " + supplied + "; the pin is unchanged");
    }
    return PinSet.of(fingerprint);
  }

  /** @return host, port, fingerprint and subject */
  @Override
  public String toString() {
    return "PresentedCertificate{" + host + ":" + port + ", fingerprint=" + fingerprint + ", subject="
        + subject() + "}";
  }
}
