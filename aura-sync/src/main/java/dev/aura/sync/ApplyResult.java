package dev.aura.sync;

import java.util.List;

/**
 * What {@link Replica#apply} did with one event.
 *
 * @param seq the event's sequence
 * @param alreadyApplied true when the event was at or below the applied sequence, so nothing was done
 * @param written paths written (files and symlinks, including conflict copies and restored files)
 * @param removed paths removed from the directory
 * @param deferred paths left as they are because they hold a local edit (pending, or not yet scanned): the
 *     Mothership resolves the conflict when that edit is uploaded
 * @param conflictCopies conflict copies written, a subset of {@code written}: the copy an event asked for, or
 *     a local copy of this peer's refused edit, so that nothing is lost
 * @param skipped what was not done because it was unsafe (a parent that is a symlink or a file, a path
 *     inside {@code .git/} or {@code .aura/}, a directory in the way), one message each
 */
public record ApplyResult(long seq, boolean alreadyApplied, List<SyncPath> written, List<SyncPath> removed,
    List<SyncPath> deferred, List<SyncPath> conflictCopies, List<String> skipped) {
  /** Copies the lists. */
  public ApplyResult {
    written = List.copyOf(written);
    removed = List.copyOf(removed);
    deferred = List.copyOf(deferred);
    conflictCopies = List.copyOf(conflictCopies);
    skipped = List.copyOf(skipped);
  }

  /** @return whether the event changed nothing in the directory */
  public boolean treeUnchanged() {
    return written.isEmpty() && removed.isEmpty();
  }
}
