package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.tls.internal.Certificates;
import dev.aura.token.CertificateSignedJws;
import dev.aura.token.Claims;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import dev.aura.token.VerifiedJws;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
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
 * signed object, and the other way round. Signing and verifying run on the token core's one strict JWS path
 * ({@link TypedJws#signWithCertificate}, {@link TypedJws#parseCertificateSigned}), the same parser, JSON and
 * ES256 code as every other Aura token.
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
  /** Longest compact form accepted, in characters: the token core's cap for the type, 8 KiB. */
  public static final int MAX_LENGTH = TokenType.PIN_HANDOVER.maxLength();

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
    Instant retire = retireAt.truncatedTo(ChronoUnit.SECONDS);
    Instant issued = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("from", previous.fingerprint().toString());
    payload.put("to", to.toString());
    payload.put("retire_at", retire.getEpochSecond());
    payload.put("iat", issued.getEpochSecond());
    payload.put("seq", sequence);
    String compact = TypedJws.signWithCertificate(TokenType.PIN_HANDOVER, payload, previous.exportPrivateKey(),
        previous.certificate());
    return new PinHandover(previous.fingerprint(), to, retire, issued, sequence, compact);
  }

  /**
   * Verifies a received handover against the peer's pins, on the token core's strict path
   * ({@link TypedJws#parseCertificateSigned}). In order: size (at most {@link #MAX_LENGTH}), structure,
   * canonical base64url and duplicate-key-strict JSON; the header is exactly {@code alg}, {@code typ} and
   * {@code x5c} with one DER certificate, {@code alg} ES256 and {@code typ} {@value #TYPE}; the {@code x5c}
   * certificate's fingerprint is pinned and not retired at the clock's now; the signature is 64 bytes
   * {@code R || S} and verifies with that certificate's public key; the payload is exactly {@code from},
   * {@code to}, {@code retire_at}, {@code iat}, {@code seq}, with {@code from} that fingerprint, {@code to}
   * another, {@code retire_at} not before {@code iat}; {@code seq} is after {@code current}'s last applied
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
    CertificateSignedJws jws;
    try {
      jws = TypedJws.parseCertificateSigned(compact, TokenType.PIN_HANDOVER);
    } catch (TokenRejectedException e) {
      // Every refusal before the signature check is a malformed handover, but one without a signature
      // segment at all, which gets its own reason; the strict path's detail says which check failed.
      throw new TlsPinningException(unsigned(compact) ? Reason.HANDOVER_UNSIGNED : Reason.HANDOVER_MALFORMED,
          detail(e));
    }
    X509Certificate signer = jws.certificate();
    Fingerprint signerFingerprint = Certificates.fingerprint(signer);
    Instant now = clock.instant();
    if (!current.accepts(signerFingerprint, now)) {
      throw new TlsPinningException(Reason.HANDOVER_OUT_OF_ORDER, "signed by certificate " + signerFingerprint
          + " (subject " + Certificates.subject(signer) + "), which is "
          + current.find(signerFingerprint).map(pin -> "pinned but " + pin.window(now)).orElse("not pinned")
          + "; pinned: " + current.describe(now));
    }
    VerifiedJws verified;
    try {
      verified = jws.verify(signer.getPublicKey(), "certificate " + signerFingerprint + " (subject "
          + Certificates.subject(signer) + ")");
    } catch (TokenRejectedException e) {
      throw new TlsPinningException(e.reason() == RejectionReason.INVALID_SIGNATURE
          ? Reason.HANDOVER_INVALID_SIGNATURE : Reason.HANDOVER_MALFORMED, detail(e));
    }
    PinHandover handover = payload(verified.claims(), signerFingerprint, compact);
    if (handover.sequence <= current.handoverSequence()) {
      throw new TlsPinningException(Reason.HANDOVER_OUT_OF_ORDER, "handover sequence " + handover.sequence
          + " is not after the last applied sequence " + current.handoverSequence()
          + " (an older or replayed handover)");
    }
    return handover;
  }

  /** Only labels an input the strict path already refused: three segments, the signature one empty. */
  private static boolean unsigned(String compact) {
    return compact != null && compact.endsWith(".") && compact.chars().filter(c -> c == '.').count() == 2;
  }

  /**
   * The strict path's message without its "malformed token: " or "invalid signature: " lead, which the
   * handover reason replaces; "wrong token type: ..." stays, it says what the check was.
   */
  private static String detail(TokenRejectedException e) {
    String message = e.getMessage();
    if (e.reason() == RejectionReason.WRONG_TYPE) {
      return message;
    }
    String lead = e.reason().text() + ": ";
    return message.startsWith(lead) ? message.substring(lead.length()) : message;
  }

  private static PinHandover payload(Claims claims, Fingerprint signer, String compact)
      throws TlsPinningException {
    if (!claims.asMap().keySet().equals(PAYLOAD_MEMBERS)) {
      throw malformed("payload members " + claims.asMap().keySet()
          + ", expected exactly from, to, retire_at, iat and seq");
    }
    Fingerprint from = fingerprintClaim(claims, "from");
    Fingerprint to = fingerprintClaim(claims, "to");
    Instant retireAt = dateClaim(claims, "retire_at");
    Instant issuedAt = dateClaim(claims, "iat");
    long sequence;
    try {
      sequence = claims.integer("seq");
    } catch (TokenRejectedException e) {
      throw malformed(detail(e));
    }
    if (!from.equals(signer)) {
      throw malformed("from " + from + " is not the fingerprint of the signing certificate " + signer);
    }
    if (to.equals(from)) {
      throw malformed("to and from are the same fingerprint " + from);
    }
    if (retireAt.isBefore(issuedAt)) {
      throw malformed("retire_at " + retireAt + " is before iat " + issuedAt);
    }
    if (sequence < 1) {
      throw malformed("seq " + sequence + ", expected 1 or more");
    }
    return new PinHandover(from, to, retireAt, issuedAt, sequence, compact);
  }

  private static Fingerprint fingerprintClaim(Claims claims, String name) throws TlsPinningException {
    try {
      return Fingerprint.parse(claims.string(name));
    } catch (TokenRejectedException e) {
      throw malformed(detail(e));
    } catch (IllegalArgumentException e) {
      throw malformed(name + ": " + e.getMessage());
    }
  }

  private static Instant dateClaim(Claims claims, String name) throws TlsPinningException {
    try {
      return claims.numericDate(name);
    } catch (TokenRejectedException e) {
      throw malformed(detail(e));
    }
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
