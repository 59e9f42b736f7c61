package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The certificate fingerprints a peer accepts from its Mothership: a ring like the signing keys, in which each
 * {@link Pin} may carry a {@code retireAt}. A pin is accepted strictly before its {@code retireAt}.
 *
 * <pre>{@code
 * PinSet pins = PinSet.of(Fingerprint.parse(joinToken.tlsFingerprint()));
 * SSLContext context = TlsContexts.pinnedClient(pins, clock);
 * // later, on a handover received from the Mothership:
 * pins = pins.apply(PinHandover.verify(signedHandover, pins, clock));
 * }</pre>
 *
 * <p>Immutable; never empty. It also remembers the {@link #handoverSequence() sequence} of the last
 * handover applied, so that an older or replayed handover is refused.
 */
public final class PinSet {
  private final List<Pin> pins;
  private final long handoverSequence;

  private PinSet(List<Pin> pins, long handoverSequence) {
    this.pins = List.copyOf(pins);
    this.handoverSequence = handoverSequence;
  }

  /**
   * @param first a fingerprint to pin
   * @param more further fingerprints to pin
   * @return a pin set of fingerprints that never retire
   */
  public static PinSet of(Fingerprint first, Fingerprint... more) {
    Builder builder = builder().pin(first);
    for (Fingerprint fingerprint : more) {
      builder.pin(fingerprint);
    }
    return builder.build();
  }

  /** @return a builder; {@code build()} refuses an empty set */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the pins in the order they were added; unmodifiable, never empty */
  public List<Pin> pins() {
    return pins;
  }

  /** @return the sequence number of the last handover applied, 0 when none was */
  public long handoverSequence() {
    return handoverSequence;
  }

  /**
   * @param fingerprint the fingerprint to look up
   * @return the pin of this fingerprint, whatever its window
   */
  public Optional<Pin> find(Fingerprint fingerprint) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Pin found = null;
    for (Pin pin : pins) {
      if (pin.fingerprint().equals(fingerprint)) {
        found = pin;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * @param fingerprint the presented fingerprint
   * @param now the instant to check
   * @return whether {@code fingerprint} is pinned and its pin has not retired at {@code now}
   */
  public boolean accepts(Fingerprint fingerprint, Instant now) {
    Objects.requireNonNull(now, "now");
    return find(fingerprint).map(pin -> pin.isActiveAt(now)).orElse(false);
  }

  /**
   * @param now the instant to check
   * @return the fingerprints accepted at {@code now}, in pin order; possibly empty
   */
  public Set<Fingerprint> activeAt(Instant now) {
    Objects.requireNonNull(now, "now");
    Set<Fingerprint> active = new LinkedHashSet<>();
    for (Pin pin : pins) {
      if (pin.isActiveAt(now)) {
        active.add(pin.fingerprint());
      }
    }
    return Collections.unmodifiableSet(active);
  }

  /**
   * Applies a verified handover "the successor of A is B, A retires at T": A's pin retires at T (or
   * earlier, if it already did), B is pinned without retirement, and pins that had retired before the
   * handover was issued are dropped.
   *
   * @param handover from {@link PinHandover#verify(String, PinSet, java.time.Clock)}
   * @return the new pin set; this one is unchanged
   * @throws TlsPinningException {@code HANDOVER_OUT_OF_ORDER} when A is not pinned here or the handover's
   *     sequence is not after {@link #handoverSequence()} (an older or replayed handover)
   */
  public PinSet apply(PinHandover handover) throws TlsPinningException {
    Objects.requireNonNull(handover, "handover");
    if (find(handover.from()).isEmpty()) {
      throw new TlsPinningException(TlsPinningException.Reason.HANDOVER_OUT_OF_ORDER, "handover from "
          + handover.from() + ", which is not pinned; pinned: " + this);
    }
    if (handover.sequence() <= handoverSequence) {
      throw new TlsPinningException(TlsPinningException.Reason.HANDOVER_OUT_OF_ORDER, "handover sequence "
          + handover.sequence() + " is not after the last applied sequence " + handoverSequence
          + " (an older or replayed handover)");
    }
    Map<Fingerprint, Pin> next = new LinkedHashMap<>();
    for (Pin pin : pins) {
      boolean retiredBeforeIssue = pin.retireAt().map(t -> !t.isAfter(handover.issuedAt())).orElse(false);
      if (pin.fingerprint().equals(handover.from())) {
        Instant retireAt = pin.retireAt().filter(t -> t.isBefore(handover.retireAt()))
            .orElse(handover.retireAt());
        next.put(pin.fingerprint(), new Pin(pin.fingerprint(), Optional.of(retireAt)));
      } else if (!retiredBeforeIssue && !pin.fingerprint().equals(handover.to())) {
        next.put(pin.fingerprint(), pin);
      }
    }
    next.put(handover.to(), Pin.of(handover.to()));
    return new PinSet(new ArrayList<>(next.values()), handover.sequence());
  }

  /**
   * @param now the instant the windows are described at
   * @return each pin with its window as seen at {@code now}, for messages, such as
   *     {@code ab:cd:... (retires 2026-04-22T10:00:00Z), 01:23:... (no retirement)}
   */
  public String describe(Instant now) {
    return pins.stream().map(pin -> pin.fingerprint() + " (" + pin.window(now) + ")")
        .collect(Collectors.joining(", "));
  }

  /** @return the pins, such as {@code ab:cd:... (retires 2026-04-22T10:00:00Z), 01:23:...} */
  @Override
  public String toString() {
    return pins.stream().map(Pin::toString).collect(Collectors.joining(", "));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PinSet that && pins.equals(that.pins) && handoverSequence == that.handoverSequence;
  }

  @Override
  public int hashCode() {
    return pins.hashCode() * 31 + Long.hashCode(handoverSequence);
  }

  /** Collects pins; {@link #build()} refuses an empty set or a fingerprint given twice. Not thread-safe. */
  public static final class Builder {
    private final List<Pin> pins = new ArrayList<>();
    private Long handoverSequence;

    private Builder() {}

    /**
     * Pins a fingerprint that never retires.
     *
     * @param fingerprint the fingerprint to pin
     * @return this builder
     */
    public Builder pin(Fingerprint fingerprint) {
      return pin(Pin.of(fingerprint));
    }

    /**
     * Pins a fingerprint that is accepted strictly before {@code retireAt}.
     *
     * @param fingerprint the fingerprint to pin
     * @param retireAt from when it is refused
     * @return this builder
     */
    public Builder pin(Fingerprint fingerprint, Instant retireAt) {
      return pin(new Pin(fingerprint, Optional.of(Objects.requireNonNull(retireAt, "retireAt"))));
    }

    /**
     * Adds a pin.
     *
     * @param pin the pin
     * @return this builder
     */
    public Builder pin(Pin pin) {
      pins.add(Objects.requireNonNull(pin, "pin"));
      return this;
    }

    /**
     * Restores the sequence of the last handover applied, when a stored pin set is loaded.
     *
     * @param sequence zero or more
     * @return this builder
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
     * @return the pin set
     * @throws IllegalStateException when no pin was added or a fingerprint was added twice
     */
    public PinSet build() {
      if (pins.isEmpty()) {
        throw new IllegalStateException("a pin set needs at least one pinned fingerprint");
      }
      Set<Fingerprint> seen = new LinkedHashSet<>();
      for (Pin pin : pins) {
        if (!seen.add(pin.fingerprint())) {
          throw new IllegalStateException("fingerprint " + pin.fingerprint() + " is pinned twice");
        }
      }
      return new PinSet(pins, handoverSequence == null ? 0 : handoverSequence);
    }
  }
}
