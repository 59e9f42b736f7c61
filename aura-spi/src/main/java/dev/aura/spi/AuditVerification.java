package dev.aura.spi;

import java.util.Optional;

/**
 * The outcome of walking an audit chain.
 *
 * @param entriesChecked how many entries were read
 * @param firstBadSequence the sequence of the first entry that does not verify, or 0 if the chain is intact
 * @param problem what is wrong with that entry, or null if the chain is intact
 */
public record AuditVerification(long entriesChecked, long firstBadSequence, String problem) {
  /** An intact chain of {@code n} entries. */
  public static AuditVerification intact(long n) {
    return new AuditVerification(n, 0, null);
  }

  /** @return whether every entry verified */
  public boolean isIntact() {
    return problem == null;
  }

  /** @return the problem, if any */
  public Optional<String> problemIfAny() {
    return Optional.ofNullable(problem);
  }
}
