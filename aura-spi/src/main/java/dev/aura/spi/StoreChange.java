package dev.aura.spi;

import java.util.Objects;

/**
 * A notice that shared state changed, so that other Mothership processes on the same database react quickly.
 *
 * @param topic what changed
 * @param version the new version (the revocation version for {@link Topic#REVOCATIONS}), or 0 if the topic
 *     has none
 */
public record StoreChange(Topic topic, long version) {
  /** What changed. */
  public enum Topic {
    /** A revocation was appended. */
    REVOCATIONS,
    /** The signing key ring changed. */
    SIGNING_KEYS,
    /** A peer was registered or changed. */
    PEERS
  }

  /** Checks nulls. */
  public StoreChange {
    Objects.requireNonNull(topic, "topic");
  }
}
