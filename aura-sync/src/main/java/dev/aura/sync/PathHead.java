package dev.aura.sync;

/**
 * The latest event that took effect at a path of a workspace: what the Mothership compares a new change
 * against.
 *
 * @param seq that event's sequence
 * @param id that event's id (its author had seen it, and so had every later event of the same author)
 * @param change its change (a deletion when the path is gone)
 */
public record PathHead(long seq, EventId id, Change change) {
  /** @return whether the path currently holds an entry */
  public boolean exists() {
    return change.op() == Change.Op.PUT;
  }
}
