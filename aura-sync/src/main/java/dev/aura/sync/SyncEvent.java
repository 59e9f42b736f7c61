package dev.aura.sync;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import java.time.Instant;
import java.util.Objects;

/**
 * An event as the Mothership persisted it: a peer's {@link Change} with its place in the workspace's
 * gap-free sequence and what it did to the tree. Every peer applies a workspace's events in sequence order
 * and so converges to the same tree.
 *
 * @param workspace the workspace
 * @param seq its position in the workspace, from 1, without gaps
 * @param id the author's id for it (persisted at most once)
 * @param change what the author did (for a {@link Outcome#CONFLICT_COPY}, already moved to the copy's path)
 * @param outcome what it did to the tree
 * @param conflictOf for a conflict copy, the path the author edited; null otherwise
 * @param persistedAt when the Mothership persisted it
 */
public record SyncEvent(WorkspaceName workspace, long seq, EventId id, Change change, Outcome outcome,
    SyncPath conflictOf, Instant persistedAt) {

  /** What an event did. */
  public enum Outcome {
    /** The change took effect at its path. */
    APPLIED,
    /**
     * The change was concurrent with another edit of the same path that was persisted first; it took
     * effect at a conflict copy beside it ({@link ConflictRule#copyName}) and the other edit stays.
     */
    CONFLICT_COPY,
    /** A deletion concurrent with an edit: the edit wins, so the deletion did nothing. */
    SUPERSEDED
  }

  /** Checks the fields fit together. */
  public SyncEvent {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(persistedAt, "persistedAt");
    if (seq < 1) {
      throw new IllegalArgumentException("sequence must be at least 1, got " + seq);
    }
    if ((outcome == Outcome.CONFLICT_COPY) != (conflictOf != null)) {
      throw new IllegalArgumentException("conflictOf is set exactly for conflict copies");
    }
  }

  /** @return the author */
  public PeerId author() {
    return id.author();
  }

  /** @return the path it took effect at (the conflict copy's for a conflict copy) */
  public SyncPath path() {
    return change.path();
  }
}
