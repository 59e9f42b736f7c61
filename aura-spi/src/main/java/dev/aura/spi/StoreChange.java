package dev.aura.spi;

import java.util.Objects;

/**
 * A notice that shared state changed, so that other Mothership processes on the same database react quickly.
 *
 * @param topic what changed
 * @param version the new version (the revocation version for {@link Topic#REVOCATIONS}), a request id for
 *     {@link Topic#KICK} and {@link Topic#KICKED}, or 0 if the topic has none
 * @param subject what the notice is about (a peer id, a workspace name), or null; never a secret
 */
public record StoreChange(Topic topic, long version, String subject) {
  /** The longest {@link #subject()} a notice carries (PostgreSQL caps a notification at 8000 bytes). */
  public static final int MAX_SUBJECT = 1000;

  /** What changed. */
  public enum Topic {
    /** A revocation was appended. */
    REVOCATIONS,
    /** The signing key ring changed. */
    SIGNING_KEYS,
    /** A peer was registered or changed. */
    PEERS,
    /** The shared TLS certificate was rotated (re-read the stored identity). */
    CERTIFICATE,
    /** Sync events were persisted in the workspace named by the subject (re-read the event log). */
    EVENTS,
    /**
     * An operator asked every instance to close a peer's control connections; the subject is the peer id,
     * a space and the actor. Not durable: announced, never stored.
     */
    KICK,
    /** An instance closed connections for the {@link #KICK} whose request id is the version; the subject is how many. */
    KICKED
  }

  /** A notice without a subject. */
  public StoreChange(Topic topic, long version) {
    this(topic, version, null);
  }

  /** Checks nulls and the subject's length. */
  public StoreChange {
    Objects.requireNonNull(topic, "topic");
    if (subject != null && subject.length() > MAX_SUBJECT) {
      throw new IllegalArgumentException("a store change subject has at most " + MAX_SUBJECT + " characters");
    }
  }
}
