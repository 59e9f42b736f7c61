package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership's side of certificate rotation: the current certificate, which it serves, plus the
 * certificates it rotated away from that are still in their grace window (default {@link #DEFAULT_GRACE 24h}).
 *
 * <pre>{@code
 * CertificateRing ring = CertificateRing.of(identity);
 * // aura mothership tls rotate:
 * CertificateRotation rotation = ring.rotate(generator.generate(), clock);
 * ring = rotation.ring();                        // serve rotation.identity() from now on
 * broadcastToConnectedPeers(rotation.handover().compact());
 * // token validator: is this join token's tls_fingerprint still good?
 * boolean ok = ring.acceptableFingerprints(clock.instant()).contains(token.tlsFingerprint());
 * }</pre>
 *
 * <p>Immutable: {@link #rotate} returns a new ring. A certificate is in grace strictly before its
 * {@code retireAt}, the same boundary a peer's {@link PinSet} uses.
 *
 * <p><b>Warning:</b> rotation signs the handover with the current certificate's key, which must be ECDSA
 * P-256 (as generated certificates are). With an operator-provided RSA certificate, peers repin instead.
 */
public final class CertificateRing {
  /** How long a rotated-away certificate stays acceptable unless {@link Builder#grace} says otherwise. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRing.class);

  private final TlsIdentity current;
  private final List<PreviousCertificate> previous;
  private final Duration grace;
  private final long handoverSequence;

  private CertificateRing(TlsIdentity current, List<PreviousCertificate> previous, Duration grace,
      long handoverSequence) {
    this.current = current;
    this.previous = List.copyOf(previous);
    this.grace = grace;
    this.handoverSequence = handoverSequence;
  }

  /**
   * @param current the certificate to serve
   * @return a ring with only {@code current} and the default grace
   */
  public static CertificateRing of(TlsIdentity current) {
    return builder(current).build();
  }

  /**
   * @param current the certificate to serve
   * @return a builder, to set the grace or restore a stored ring
   */
  public static Builder builder(TlsIdentity current) {
    return new Builder(current);
  }

  /** @return the certificate to serve */
  public TlsIdentity current() {
    return current;
  }

  /** @return rotated-away certificates, oldest first, including any whose grace has ended */
  public List<PreviousCertificate> previous() {
    return previous;
  }

  /** @return how long a rotated-away certificate stays acceptable */
  public Duration grace() {
    return grace;
  }

  /** @return the sequence number of the last handover issued, 0 before the first rotation */
  public long handoverSequence() {
    return handoverSequence;
  }

  /**
   * The fingerprints a join token's {@code tls_fingerprint} may carry at {@code now}: the current certificate
   * plus those rotated away from whose grace has not ended.
   *
   * @param now the instant the token is validated at
   * @return current first, then previous newest first; unmodifiable
   */
  public Set<Fingerprint> acceptableFingerprints(Instant now) {
    Objects.requireNonNull(now, "now");
    Set<Fingerprint> acceptable = new LinkedHashSet<>();
    acceptable.add(current.fingerprint());
    for (int i = previous.size() - 1; i >= 0; i--) {
      if (previous.get(i).inGraceAt(now)) {
        acceptable.add(previous.get(i).identity().fingerprint());
      }
    }
    return Collections.unmodifiableSet(acceptable);
  }

  /**
   * The handovers a peer may still need at {@code now}, oldest first: a peer pinned to a certificate two
   * rotations back applies them in order.
   *
   * @param now the instant the peer asks at
   * @return the handovers of the previous certificates still in grace; unmodifiable
   */
  public List<PinHandover> handovers(Instant now) {
    Objects.requireNonNull(now, "now");
    return previous.stream().filter(p -> p.inGraceAt(now)).map(PreviousCertificate::handover)
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * Makes {@code next} the current certificate. The old current certificate stays acceptable for the grace
   * and a handover signed with its key tells peers about the successor. Previous certificates whose grace
   * has already ended are dropped.
   *
   * @param next the new identity, for example {@code generator.generate()}
   * @param clock the time of the rotation; the old certificate retires at now plus the grace
   * @return the new ring and the handover
   * @throws IllegalArgumentException when {@code next} is the current certificate
   * @throws IllegalStateException when the current key is not ECDSA P-256
   */
  public CertificateRotation rotate(TlsIdentity next, Clock clock) {
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(clock, "clock");
    if (next.fingerprint().equals(current.fingerprint())) {
      throw new IllegalArgumentException("the new certificate is the current one (" + next.fingerprint() + ")");
    }
    Instant now = clock.instant();
    PinHandover handover = PinHandover.sign(current, next.fingerprint(), now.plus(grace), now,
        handoverSequence + 1);
    List<PreviousCertificate> kept = new ArrayList<>();
    for (PreviousCertificate old : previous) {
      if (old.inGraceAt(now) && !old.identity().fingerprint().equals(next.fingerprint())) {
        kept.add(old);
      }
    }
    kept.add(new PreviousCertificate(current, handover));
    LOG.info("rotated TLS certificate {} -> {}; the old one is accepted until {}", current.fingerprint(),
        next.fingerprint(), handover.retireAt());
    return new CertificateRotation(new CertificateRing(next, kept, grace, handover.sequence()), handover);
  }

  /** @return the current fingerprint and those of the previous certificates with their retirement */
  @Override
  public String toString() {
    return "CertificateRing{current=" + current.fingerprint() + ", previous=" + previous.stream()
        .map(p -> p.identity().fingerprint() + " (retires " + p.retireAt() + ")")
        .collect(Collectors.joining(", ", "[", "]")) + ", grace=" + grace + ", seq=" + handoverSequence + "}";
  }

  /** Sets the grace, or restores a stored ring. Not thread-safe; {@link #build()} checks everything. */
  public static final class Builder {
    private final TlsIdentity current;
    private final List<PreviousCertificate> previous = new ArrayList<>();
    private Duration grace;
    private Long handoverSequence;

    private Builder(TlsIdentity current) {
      this.current = Objects.requireNonNull(current, "current");
    }

    /**
     * @param grace how long a rotated-away certificate stays acceptable; zero or more (default 24h)
     * @return this builder
     * @throws IllegalStateException when given twice
     */
    public Builder grace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (this.grace != null) {
        throw new IllegalStateException("grace was already set to " + this.grace);
      }
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative, got " + grace);
      }
      this.grace = grace;
      return this;
    }

    /**
     * Restores a rotated-away certificate with the handover that succeeded it; add them oldest first. A
     * stored handover is re-verified with
     * {@code PinHandover.verify(stored, PinSet.of(identity.fingerprint()), clock)}.
     *
     * @param identity the rotated-away certificate and key
     * @param handover the handover that succeeded it
     * @return this builder
     */
    public Builder previous(TlsIdentity identity, PinHandover handover) {
      previous.add(new PreviousCertificate(identity, handover));
      return this;
    }

    /**
     * Restores the sequence of the last handover issued. Store it with the ring: peers refuse a handover whose
     * sequence is not greater than the last one they applied, also after every previous certificate retired.
     *
     * @param sequence zero or more; not less than the newest previous certificate's handover sequence
     * @return this builder
     * @throws IllegalStateException when given twice
     */
    public Builder handoverSequence(long sequence) {
      if (handoverSequence != null) {
        throw new IllegalStateException("handoverSequence was already set to " + handoverSequence);
      }
      if (sequence < 0) {
        throw new IllegalArgumentException("handoverSequence must not be negative, got " + sequence);
      }
      this.handoverSequence = sequence;
      return this;
    }

    /**
     * @return the ring; its handover sequence is the one restored, else that of the newest previous
     *     certificate's handover, else 0
     * @throws IllegalStateException when previous certificates are not oldest first, one is the current, or
     *     the restored sequence is older than a previous certificate's handover
     */
    public CertificateRing build() {
      long sequence = 0;
      for (PreviousCertificate old : previous) {
        if (old.handover().sequence() <= sequence) {
          throw new IllegalStateException("previous certificates must be added oldest first: handover sequence "
              + old.handover().sequence() + " follows " + sequence);
        }
        if (old.identity().fingerprint().equals(current.fingerprint())) {
          throw new IllegalStateException("certificate " + current.fingerprint()
              + " is both current and previous");
        }
        sequence = old.handover().sequence();
      }
      if (handoverSequence != null && handoverSequence < sequence) {
        throw new IllegalStateException("handoverSequence " + handoverSequence
            + " is less than the newest previous certificate's handover sequence " + sequence);
      }
      return new CertificateRing(current, previous, grace == null ? DEFAULT_GRACE : grace,
          handoverSequence == null ? sequence : handoverSequence);
    }
  }
}
