package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.tls.internal.Certificates;
import dev.aura.tls.internal.CompactJws;
import dev.aura.tls.internal.FlatJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A signed statement "the successor of certificate A is B; A's pin retires at T", which a Mothership issues
 * when it rotates its certificate ({@link CertificateRing#rotate}) and a peer verifies before applying it to
 * its {@link PinSet}.
 *
 * <p>Wire form: a compact JWS (RFC 7515 section 7.1) with header
 * {@code {"alg":"ES256","typ":"aura-pin-handover+jwt","x5c":[A]}}, where {@code x5c} (RFC 7515 section 4.1.6)
 * carries the old certificate A, and payload {@code {"from":A's fingerprint,"to":B's fingerprint,
 * "retire_at":T,"iat":issued,"seq":n}} (seconds since the epoch). It is signed with A's private key,
 * ES256 (RFC 7518 section 3.4). The {@code typ} keeps it from ever being taken for a join token or any other
 * signed object, and the other way round.
 *
 * <pre>{@code
 * // peer, on receiving handover.compact() from its Mothership:
 * PinHandover handover = PinHandover.verify(received, pins, clock);
 * pins = pins.apply(handover);
 * }</pre>
 *
 * <p>Instances exist only when issued by a rotation or verified by {@link #verify}; callers cannot construct
 * one. Immutable.
 *
 * <p><b>Warning:</b> a handover is only as strong as the old key. Rotate promptly when that key may have
 * leaked, and let peers that cannot verify a handover {@link CertificateProbe repin} out of band.
 */
public final class PinHandover {
  /** The JOSE {@code typ} header of a pin handover. */
  public static final String TYPE = "aura-pin-handover+jwt";
  /** The only signature algorithm accepted: ECDSA P-256 with SHA-256. */
  public static final String ALGORITHM = "ES256";
  /** Longest compact form accepted, in characters. */
  public static final int MAX_LENGTH = 8192;

  private static final Set<String> HEADER_MEMBERS = Set.of("alg", "typ", "x5c");
  private static final Set<String> PAYLOAD_MEMBERS = Set.of("from", "to", "retire_at", "iat", "seq");

  private final Fingerprint from;
  private final Fingerprint to;
  private final Instant retireAt;
  private final Instant issuedAt;
  private final long sequence;
  private final String compact;

  private PinHandover(Fingerprint from, Fingerprint to, Instant retireAt, Instant issuedAt, long sequence,
      String compact) {
    this.from = from;
    this.to = to;
    this.retireAt = retireAt;
    this.issuedAt = issuedAt;
    this.sequence = sequence;
    this.compact = compact;
  }

  /** Signs a handover with the old identity's key; used by {@link CertificateRing#rotate}. */
  static PinHandover sign(TlsIdentity previous, Fingerprint to, Instant retireAt, Instant issuedAt,
      long sequence) {
    if (!Certificates.isP256(previous.exportPrivateKey())) {
      throw new IllegalStateException("a pin handover is signed with ES256, which needs an EC P-256 key; the"
          + " current certificate (" + previous.subject() + ") has a " + previous.exportPrivateKey()
          .getAlgorithm() + " key, so peers must repin instead");
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", ALGORITHM);
    header.put("typ", TYPE);
    try {
      header.put("x5c", List.of(Base64.getEncoder().encodeToString(previous.certificate().getEncoded())));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
    }
    Instant retire = retireAt.truncatedTo(ChronoUnit.SECONDS);
    Instant issued = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("from", previous.fingerprint().toString());
    payload.put("to", to.toString());
    payload.put("retire_at", retire.getEpochSecond());
    payload.put("iat", issued.getEpochSecond());
    payload.put("seq", sequence);
    String compact = CompactJws.signEs256(FlatJson.write(header), FlatJson.write(payload),
        previous.exportPrivateKey());
    return new PinHandover(previous.fingerprint(), to, retire, issued, sequence, compact);
  }

  /**
   * Verifies a received handover against the peer's pins. In order: size and structure; the header (exactly
   * {@code alg} ES256, {@code typ} {@value #TYPE}, one {@code x5c} certificate); the {@code x5c}
   * certificate's fingerprint is pinned and not retired at the clock's now; the ES256 signature verifies with
   * that certificate's public key; the payload's {@code from} is that fingerprint, {@code to} differs from
   * it, {@code retire_at} is not before {@code iat}; {@code seq} is after {@code current}'s last applied
   * sequence. The old certificate's own validity dates are not checked: a handover is what rescues a peer
   * from an expired certificate.
   *
   * @param compact the handover as received
   * @param current the peer's pins now
   * @param clock the peer's clock
   * @return the verified handover, to {@link PinSet#apply}
   * @throws TlsPinningException {@code HANDOVER_MALFORMED}, {@code HANDOVER_UNSIGNED},
   *     {@code HANDOVER_INVALID_SIGNATURE} or {@code HANDOVER_OUT_OF_ORDER}
   */
  public static PinHandover verify(String compact, PinSet current, Clock clock) throws TlsPinningException {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(clock, "clock");
    if (compact == null || compact.isEmpty()) {
      throw new TlsPinningException(Reason.HANDOVER_MALFORMED, "handover is empty");
    }
    if (compact.length() > MAX_LENGTH) {
      throw new TlsPinningException(Reason.HANDOVER_MALFORMED, "handover has " + compact.length()
          + " characters, at most " + MAX_LENGTH + " are accepted");
    }
    CompactJws.Segments segments;
    Map<String, Object> header;
    try {
      segments = CompactJws.split(compact);
      header = FlatJson.parse(new String(CompactJws.decodeCanonical(segments.header(), "header"),
          StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw malformed("header: " + e.getMessage());
    }
    Object alg = header.get("alg");
    if ("none".equals(alg) || segments.signature().isEmpty()) {
      throw new TlsPinningException(Reason.HANDOVER_UNSIGNED, "alg " + alg + ", signature "
          + segments.signature().length() + " characters; expected alg " + ALGORITHM + " and a signature");
    }
    if (!TYPE.equals(header.get("typ"))) {
      throw malformed("typ " + header.get("typ") + ", expected " + TYPE);
    }
    if (!ALGORITHM.equals(alg)) {
      throw malformed("alg " + alg + ", expected " + ALGORITHM);
    }
    if (!header.keySet().equals(HEADER_MEMBERS)) {
      throw malformed("header members " + header.keySet() + ", expected exactly alg, typ and x5c");
    }
    X509Certificate signer = x5c(header.get("x5c"));
    Fingerprint signerFingerprint = Certificates.fingerprint(signer);
    Instant now = clock.instant();
    if (!current.accepts(signerFingerprint, now)) {
      throw new TlsPinningException(Reason.HANDOVER_OUT_OF_ORDER, "signed by certificate " + signerFingerprint
          + " (subject " + Certificates.subject(signer) + "), which is "
          + current.find(signerFingerprint).map(pin -> "pinned but " + pin.window(now)).orElse("not pinned")
          + "; pinned: " + current.describe(now));
    }
    if (!Certificates.isP256(signer.getPublicKey())) {
      throw malformed("the x5c certificate has a " + signer.getPublicKey().getAlgorithm()
          + " key, ES256 needs EC P-256");
    }
    byte[] signature;
    try {
      signature = CompactJws.decodeCanonical(segments.signature(), "signature");
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
    if (signature.length != CompactJws.ES256_SIGNATURE_LENGTH) {
      throw new TlsPinningException(Reason.HANDOVER_INVALID_SIGNATURE, "signature has " + signature.length
          + " bytes, ES256 has " + CompactJws.ES256_SIGNATURE_LENGTH);
    }
    if (!CompactJws.verifyEs256(signer.getPublicKey(), segments.signingInput(), signature)) {
      throw new TlsPinningException(Reason.HANDOVER_INVALID_SIGNATURE, "signature does not verify with the key"
          + " of certificate " + signerFingerprint + " (subject " + Certificates.subject(signer) + ")");
    }
    PinHandover handover = payload(segments, signerFingerprint, compact);
    if (handover.sequence <= current.handoverSequence()) {
      throw new TlsPinningException(Reason.HANDOVER_OUT_OF_ORDER, "handover sequence " + handover.sequence
          + " is not after the last applied sequence " + current.handoverSequence()
          + " (an older or replayed handover)");
    }
    return handover;
  }

  private static X509Certificate x5c(Object value) throws TlsPinningException {
    if (!(value instanceof List) || ((List<?>) value).size() != 1) {
      throw malformed("x5c must hold exactly one certificate, the one being succeeded");
    }
    try {
      byte[] der = Base64.getDecoder().decode((String) ((List<?>) value).get(0));
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
      throw malformed("x5c is not a base64 DER certificate");
    }
  }

  private static PinHandover payload(CompactJws.Segments segments, Fingerprint signer, String compact)
      throws TlsPinningException {
    Map<String, Object> claims;
    try {
      claims = FlatJson.parse(new String(CompactJws.decodeCanonical(segments.payload(), "payload"),
          StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw malformed("payload: " + e.getMessage());
    }
    if (!claims.keySet().equals(PAYLOAD_MEMBERS)) {
      throw malformed("payload members " + claims.keySet()
          + ", expected exactly from, to, retire_at, iat and seq");
    }
    Fingerprint from = fingerprintClaim(claims, "from");
    Fingerprint to = fingerprintClaim(claims, "to");
    long retireAt = longClaim(claims, "retire_at");
    long issuedAt = longClaim(claims, "iat");
    long sequence = longClaim(claims, "seq");
    if (!from.equals(signer)) {
      throw malformed("from " + from + " is not the fingerprint of the signing certificate " + signer);
    }
    if (to.equals(from)) {
      throw malformed("to and from are the same fingerprint " + from);
    }
    if (retireAt < issuedAt) {
      throw malformed("retire_at " + Instant.ofEpochSecond(retireAt) + " is before iat "
          + Instant.ofEpochSecond(issuedAt));
    }
    if (sequence < 1) {
      throw malformed("seq " + sequence + ", expected 1 or more");
    }
    return new PinHandover(from, to, Instant.ofEpochSecond(retireAt), Instant.ofEpochSecond(issuedAt),
        sequence, compact);
  }

  private static Fingerprint fingerprintClaim(Map<String, Object> claims, String name)
      throws TlsPinningException {
    Object value = claims.get(name);
    if (!(value instanceof String)) {
      throw malformed(name + " must be a fingerprint string");
    }
    try {
      return Fingerprint.parse((String) value);
    } catch (IllegalArgumentException e) {
      throw malformed(name + ": " + e.getMessage());
    }
  }

  private static long longClaim(Map<String, Object> claims, String name) throws TlsPinningException {
    Object value = claims.get(name);
    if (!(value instanceof Long) || (Long) value < 0 || (Long) value > Instant.MAX.getEpochSecond()) {
      throw malformed(name + " must be a non-negative integer");
    }
    return (Long) value;
  }

  private static TlsPinningException malformed(String detail) {
    return new TlsPinningException(Reason.HANDOVER_MALFORMED, detail);
  }

  /** @return A, the fingerprint of the certificate being succeeded */
  public Fingerprint from() {
    return from;
  }

  /** @return B, the fingerprint of the successor certificate */
  public Fingerprint to() {
    return to;
  }

  /** @return T, from when A's pin is refused */
  public Instant retireAt() {
    return retireAt;
  }

  /** @return when the Mothership issued the handover */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** @return the Mothership's rotation counter; each handover's is greater than the one before */
  public long sequence() {
    return sequence;
  }

  /** @return the signed compact form, to send to peers; contains no secret */
  public String compact() {
    return compact;
  }

  /** @return from, to, retireAt and sequence */
  @Override
  public String toString() {
    return "PinHandover{from=" + from + ", to=" + to + ", retireAt=" + retireAt + ", issuedAt=" + issuedAt
        + ", seq=" + sequence + "}";
  }
}
