package dev.aura.tls;

import java.security.cert.CertificateException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one rejection of this module: a certificate, key, PEM file, pin handover or repin confirmation was not
 * accepted. {@link #reason()} says why, with a stable {@link Reason#code() code} and the product's wording.
 *
 * <p>It extends {@link CertificateException} because a {@link javax.net.ssl.X509TrustManager} may only throw
 * that. During a TLS handshake the JDK wraps it: the client sees a {@link javax.net.ssl.SSLHandshakeException}
 * whose message is this exception's message and whose cause chain contains this exception. Recover the reason
 * with {@link #reasonOf(Throwable)}:
 *
 * <pre>{@code
 * try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
 *   socket.startHandshake();
 * } catch (SSLHandshakeException e) {
 *   if (TlsPinningException.reasonOf(e).orElse(null) == TlsPinningException.Reason.FINGERPRINT_MISMATCH) {
 *     System.err.println("error: tls handshake failed");
 *     System.err.println("caused by: " + e.getMessage()); // "tls fingerprint mismatch: server presented ..."
 *   }
 * }
 * }</pre>
 *
 * <p>Messages show what was observed next to what was expected; they never contain a private key.
 * Programmer errors (null, nonsense arguments) are {@link IllegalArgumentException}s instead.
 */
public final class TlsPinningException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** Why a certificate, key, file, handover or repin was rejected. */
  public enum Reason {
    /** The leaf certificate's fingerprint is not in the pin set, or its pin has retired. */
    FINGERPRINT_MISMATCH("tls fingerprint mismatch"),
    /** The certificate's {@code notAfter} is in the past (RFC 5280 section 4.1.2.5). */
    CERTIFICATE_EXPIRED("tls: certificate has expired"),
    /** The certificate's {@code notBefore} is in the future (RFC 5280 section 4.1.2.5). */
    CERTIFICATE_NOT_YET_VALID("tls: certificate is not yet valid"),
    /** The peer presented no certificate at all. */
    NO_CERTIFICATE("tls: peer presented no certificate"),
    /** A certificate or key file could not be read (missing, no permission, too large). */
    FILE_UNREADABLE("tls: cannot read file"),
    /** A private key file that group or others may read (a peer's key must be owner-only, 0600). */
    KEY_FILE_EXPOSED("tls: private key file is readable by others"),
    /** A file was read but holds no usable PEM certificate or key. */
    PEM_INVALID("tls: invalid PEM"),
    /** The private key is not the key of the leaf certificate. */
    KEY_MISMATCH("tls: private key does not match certificate"),
    /** The certificates of a chain are not leaf first, each signed by the next. */
    CHAIN_INVALID("tls: certificate chain is not in order"),
    /** A pin handover is not a well-formed handover (structure, encoding, typ, alg, claims). */
    HANDOVER_MALFORMED("tls pin handover malformed"),
    /** A pin handover carries no signature (or {@code alg: none}). */
    HANDOVER_UNSIGNED("tls pin handover unsigned"),
    /** A pin handover's signature does not verify with the previous certificate's key. */
    HANDOVER_INVALID_SIGNATURE("tls pin handover invalid signature"),
    /** A pin handover does not follow the pin set: its certificate is not pinned, or it is replayed. */
    HANDOVER_OUT_OF_ORDER("tls pin handover out of order"),
    /** The fingerprint confirmed for a repin is not the one the server presented. */
    REPIN_NOT_CONFIRMED("repin not confirmed: fingerprint does not match");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** @return the product wording, the start of every message with this reason */
    public String text() {
      return text;
    }

    /** @return a stable lower-case code, such as {@code fingerprint_mismatch}, for logs and JSON output */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why the input was rejected. */
  private final Reason reason;
  /** Observed and expected values; never a secret. */
  private final String detail;

  /**
   * @param reason why
   * @param detail observed and expected values, appended to the reason's text; never a secret
   */
  public TlsPinningException(Reason reason, String detail) {
    this(reason, detail, null);
  }

  /**
   * @param reason why
   * @param detail observed and expected values, appended to the reason's text; never a secret
   * @param cause the underlying failure, or null
   */
  public TlsPinningException(Reason reason, String detail, Throwable cause) {
    super(message(Objects.requireNonNull(reason, "reason"), detail), cause);
    this.reason = reason;
    this.detail = detail == null ? "" : detail;
  }

  private static String message(Reason reason, String detail) {
    return detail == null || detail.isEmpty() ? reason.text() : reason.text() + ": " + detail;
  }

  /** @return why the input was rejected */
  public Reason reason() {
    return reason;
  }

  /** @return the observed and expected values after the reason's text; empty when there are none */
  public String detail() {
    return detail;
  }

  /**
   * Finds this module's exception in a cause chain, such as an {@link javax.net.ssl.SSLHandshakeException}
   * raised by a {@link PinnedTrustManager}.
   *
   * @param thrown any throwable, or null
   * @return the first {@code TlsPinningException} in {@code thrown}'s cause chain, if any
   */
  public static Optional<TlsPinningException> find(Throwable thrown) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = thrown; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof TlsPinningException) {
        return Optional.of((TlsPinningException) t);
      }
    }
    return Optional.empty();
  }

  /**
   * @param thrown any throwable, or null
   * @return the reason of the first {@code TlsPinningException} in {@code thrown}'s cause chain, if any
   */
  public static Optional<Reason> reasonOf(Throwable thrown) {
    return find(thrown).map(TlsPinningException::reason);
  }
}
