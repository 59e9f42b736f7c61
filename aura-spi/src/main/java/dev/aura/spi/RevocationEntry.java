package dev.aura.spi;

import java.util.Objects;

/**
 * A stored revocation change with the version the store assigned to it.
 *
 * @param version strictly increasing across the whole list, starting at 1
 * @param change the change
 */
public record RevocationEntry(long version, RevocationChange change) {
  /** @throws IllegalArgumentException if the version is not positive */
  public RevocationEntry {
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive, got " + version);
    }
    Objects.requireNonNull(change, "change");
  }
}
