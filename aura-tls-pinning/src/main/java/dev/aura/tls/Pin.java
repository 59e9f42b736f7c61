package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a {@link PinSet}: a pinned certificate fingerprint and, when the certificate has been
 * succeeded, the instant its pin retires.
 *
 * @param fingerprint the SHA-256 fingerprint of the pinned leaf certificate
 * @param retireAt when present, the pin is accepted strictly before this instant and refused from it on
 */
public record Pin(Fingerprint fingerprint, Optional<Instant> retireAt) {
  /**
   * Checks for null.
   *
   * @param fingerprint the pinned fingerprint
   * @param retireAt when the pin retires, or empty
   */
  public Pin {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(retireAt, "retireAt");
  }

  /**
   * @param fingerprint the fingerprint to pin
   * @return a pin that never retires
   */
  public static Pin of(Fingerprint fingerprint) {
    return new Pin(fingerprint, Optional.empty());
  }

  /**
   * @param now the instant to check
   * @return whether the pin is accepted at {@code now}: no retirement, or {@code now < retireAt}
   */
  public boolean isActiveAt(Instant now) {
    return retireAt.isEmpty() || now.isBefore(retireAt.get());
  }

  /**
   * @param now the instant the window is described at
   * @return the pin's window as seen at {@code now}, for messages: "no retirement", "retires T" or
   *     "retired at T"
   */
  public String window(Instant now) {
    if (retireAt.isEmpty()) {
      return "no retirement";
    }
    return (isActiveAt(now) ? "retires " : "retired at ") + retireAt.get();
  }

  /** @return {@code fingerprint} or {@code fingerprint (retires T)} */
  @Override
  public String toString() {
    return fingerprint + retireAt.map(t -> " (retires " + t + ")").orElse("");
  }
}
