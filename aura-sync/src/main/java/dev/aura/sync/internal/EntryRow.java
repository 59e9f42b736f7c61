package dev.aura.sync.internal;

import dev.aura.sync.PathHead;
import dev.aura.sync.SyncPath;

/**
 * The index row of one path.
 *
 * @param path the path
 * @param baseSeq the workspace sequence the content on disk derives from: a local change's {@code basedOn}
 * @param ackedSeq the highest sequence a local change of the path was acknowledged as: events before it are
 *     older than what the disk holds
 * @param head the latest event applied at the path (null when none)
 * @param observed what the replica last saw on disk (null: nothing there)
 */
public record EntryRow(SyncPath path, long baseSeq, long ackedSeq, PathHead head, Observed observed) {}
