package dev.aura.sync;

import dev.aura.spi.PeerId;

/**
 * Identifies an event everywhere: the author peer and the position in its WAL, for example
 * {@code peer_0a1b2c3d.17}. The Mothership persists an id at most once, so a re-sent event is acknowledged
 * again rather than applied twice.
 *
 * @param author the peer that recorded it
 * @param localSeq its position in that peer's WAL, from 1
 */
public record EventId(PeerId author, long localSeq) {
  /** @throws IllegalArgumentException for a null author or a sequence below 1 */
  public EventId {
    if (author == null) {
      throw new IllegalArgumentException("event id has no author");
    }
    if (localSeq < 1) {
      throw new IllegalArgumentException("event id sequence must be at least 1, got " + localSeq);
    }
  }

  /** Parses {@code peer_xxxxxxxx.N}. */
  public static EventId parse(String value) {
    int dot = value == null ? -1 : value.indexOf('.');
    if (dot < 0 || dot == value.length() - 1 || value.length() > 40) {
      throw new IllegalArgumentException("invalid event id (expected peer_xxxxxxxx.N)");
    }
    long seq;
    try {
      seq = Long.parseLong(value.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid event id (expected peer_xxxxxxxx.N)");
    }
    if (!value.substring(dot + 1).equals(Long.toString(seq))) {
      throw new IllegalArgumentException("invalid event id (expected peer_xxxxxxxx.N)");
    }
    return new EventId(PeerId.parse(value.substring(0, dot)), seq);
  }

  @Override
  public String toString() {
    return author.value() + "." + localSeq;
  }
}
