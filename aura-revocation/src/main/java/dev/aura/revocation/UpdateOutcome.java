package dev.aura.revocation;

/**
 * What {@link PeerRevocationCache#apply} did with a verified revocation update.
 *
 * @param status whether the copy changed
 * @param kind a snapshot (the whole list in force) or a delta (consecutive changes)
 * @param from the version the update starts after (0 for a snapshot)
 * @param to the version the copy holds after it
 * @param head the Mothership's latest version when it signed the update; {@code to < head} means more pages
 *     follow
 * @param changesApplied how many entries changed the copy (0 when unchanged)
 */
public record UpdateOutcome(Status status, Kind kind, long from, long to, long head, int changesApplied) {
  /** Whether the copy changed. */
  public enum Status {
    /** The update moved the copy forward. */
    APPLIED,
    /**
     * The update ends exactly at the version held (the same delta delivered twice, or a heartbeat with no
     * new changes): nothing changed, but it may have renewed the copy's freshness.
     */
    UNCHANGED
  }

  /** The two kinds of signed revocation update. */
  public enum Kind {
    /** Every revocation in force at version {@code to}; replaces the copy. */
    SNAPSHOT("snapshot"),
    /** Every change with a version in {@code (from, to]}, in order; applied on top of the copy. */
    DELTA("delta");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** @return the name in the signed document's {@code kind} claim */
    public String wireName() {
      return wireName;
    }
  }

  /** @return whether the copy is as current as the Mothership was when it signed the update */
  public boolean isCurrent() {
    return to >= head;
  }
}
