package dev.aura.sync;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Mothership's part, in a few lines: a gap-free sequence, path heads resolved by the real
 * {@link ConflictRule}, a blob map, and refusals for read-only peers. Not a mock of the replica.
 */
final class TestLog {
  static final WorkspaceName WS = WorkspaceName.parse("widget");
  static final Instant PERSISTED = Instant.parse("2026-12-01T10:00:00Z");

  final List<SyncEvent> events = new ArrayList<>();
  final Map<SyncPath, PathHead> heads = new HashMap<>();
  final Map<ContentHash, byte[]> blobs = new HashMap<>();
  final Map<EventId, Long> persisted = new HashMap<>();
  final Set<PeerId> readOnly = new HashSet<>();

  /** Uploads every pending event of {@code r}: persisted and acknowledged, or refused for a read-only peer. */
  List<SyncEvent> push(Replica r) throws Exception {
    List<SyncEvent> out = new ArrayList<>();
    for (PendingEvent p : r.pending(10_000)) {
      if (readOnly.contains(p.id().author())) {
        r.refused(p.id(), "read-only", "peer " + p.id().author() + " is read-only in workspace widget");
        continue;
      }
      Long again = persisted.get(p.id());
      if (again != null) {
        r.acknowledged(p.id(), again);
        continue;
      }
      Change change = p.change();
      if (change.op() == Change.Op.PUT && change.kind() == Change.EntryKind.FILE) {
        blobs.putIfAbsent(change.hash(), r.content(change.hash()).orElseThrow());
      }
      ConflictRule.Resolution res = ConflictRule.resolve(p.id(), change, path -> Optional.ofNullable(heads.get(path)));
      long seq = events.size() + 1;
      SyncEvent e = new SyncEvent(WS, seq, p.id(), res.change(), res.outcome(), res.conflictOf(), PERSISTED);
      events.add(e);
      out.add(e);
      persisted.put(p.id(), seq);
      if (res.outcome() != SyncEvent.Outcome.SUPERSEDED) {
        heads.put(res.change().path(), new PathHead(seq, p.id(), res.change()));
      }
      r.acknowledged(p.id(), seq);
    }
    return out;
  }

  /** Applies every event {@code r} has not applied yet. */
  List<ApplyResult> pull(Replica r) throws Exception {
    List<ApplyResult> out = new ArrayList<>();
    for (long s = r.appliedSeq() + 1; s <= events.size(); s++) {
      out.add(r.apply(events.get((int) s - 1), blobSource()));
    }
    return out;
  }

  /** Each replica scans and pushes, in the order given; then all pull. */
  void sync(Replica... replicas) throws Exception {
    for (Replica r : replicas) {
      r.scan();
      push(r);
    }
    for (Replica r : replicas) {
      pull(r);
    }
  }

  BlobSource blobSource() {
    return (ws, hash) -> {
      byte[] b = blobs.get(hash);
      if (b == null) {
        throw new FileNotFoundException("no blob " + hash.abbreviated());
      }
      return new ByteArrayInputStream(b);
    };
  }
}
