package dev.aura.sync;

/**
 * A local change recorded in the replica's WAL and not yet acknowledged by the Mothership: what the sync loop
 * uploads, oldest first.
 *
 * @param id its id (this peer, its place in the WAL)
 * @param change the change
 */
public record PendingEvent(EventId id, Change change) {
  /** Checks for nulls. */
  public PendingEvent {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(change, "change");
  }
}
