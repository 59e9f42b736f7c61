package dev.aura.sync.internal;

import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.sync.Change;
import dev.aura.sync.ConflictRule;
import dev.aura.sync.EventId;
import dev.aura.sync.EventLog.AppendResult;
import dev.aura.sync.EventLog.Persisted;
import dev.aura.sync.EventLog.Refused;
import dev.aura.sync.EventLog.Submitted;
import dev.aura.sync.EventLogException;
import dev.aura.sync.PathHead;
import dev.aura.sync.SyncEvent;
import dev.aura.sync.SyncPath;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One group commit's work inside its transaction: locks the workspaces of the batch (in name order, so two
 * processes never deadlock), then for each submission in order acknowledges a duplicate, refuses what
 * cannot be accepted, or resolves the change against the path heads and persists it with the next sequence.
 * Repeatable: it keeps no state outside the transaction, so a rolled-back attempt can simply run again.
 */
final class AppendTransaction {
  /** A refusal code: a file put whose content is not stored in the workspace. */
  static final String MISSING_CONTENT = "missing_content";
  /** A refusal code: a file put larger than the maximum file size. */
  static final String TOO_LARGE = "too_large";
  /** A refusal code: a file put whose declared size is not the stored content's. */
  static final String SIZE_MISMATCH = "size_mismatch";
  /** A refusal code: the conflict rule cannot place the change (for example no valid conflict copy name). */
  static final String UNRESOLVABLE = "unresolvable";

  private final Connection c;
  private final DatabaseDialect dialect;
  private final long maxFileSize;
  private final Instant persistedAt;
  private final Map<WorkspaceName, Long> seqs = new HashMap<>();
  private final Map<WorkspaceName, Map<SyncPath, Optional<PathHead>>> headCache = new HashMap<>();
  private final Map<WorkspaceName, Map<EventId, SyncEvent>> persistedHere = new HashMap<>();
  int persisted;
  int duplicates;
  int refused;

  private AppendTransaction(Connection c, DatabaseDialect dialect, long maxFileSize, Instant persistedAt) {
    this.c = c;
    this.dialect = dialect;
    this.maxFileSize = maxFileSize;
    this.persistedAt = persistedAt;
  }

  /** The results of one attempt, by submission (identity). */
  record Outcome(Map<PendingAppend, List<AppendResult>> results, int persisted, int duplicates, int refused) {}

  static Outcome run(Connection c, DatabaseDialect dialect, long maxFileSize, Instant persistedAt,
      List<PendingAppend> batch) throws SQLException, EventLogException {
    AppendTransaction tx = new AppendTransaction(c, dialect, maxFileSize, persistedAt);
    TreeMap<String, WorkspaceName> workspaces = new TreeMap<>();
    for (PendingAppend pending : batch) {
      workspaces.put(pending.workspace().value(), pending.workspace());
    }
    for (WorkspaceName workspace : workspaces.values()) {
      tx.seqs.put(workspace, EventRows.lockWorkspace(c, dialect, workspace));
    }
    Map<PendingAppend, List<AppendResult>> results = new IdentityHashMap<>();
    for (PendingAppend pending : batch) {
      List<AppendResult> out = new ArrayList<>(pending.events().size());
      for (Submitted submitted : pending.events()) {
        out.add(tx.append(pending.workspace(), submitted));
      }
      results.put(pending, out);
    }
    for (WorkspaceName workspace : workspaces.values()) {
      EventRows.setWorkspaceHead(c, workspace, tx.seqs.get(workspace));
    }
    return new Outcome(results, tx.persisted, tx.duplicates, tx.refused);
  }

  private AppendResult append(WorkspaceName workspace, Submitted submitted) throws SQLException, EventLogException {
    EventId id = submitted.id();
    Map<EventId, SyncEvent> here = persistedHere.computeIfAbsent(workspace, w -> new HashMap<>());
    SyncEvent earlier = here.get(id);
    if (earlier == null) {
      earlier = EventRows.find(c, workspace, id).orElse(null);
    }
    if (earlier != null) {
      duplicates++;
      return new Persisted(id, earlier, true);
    }
    Change change = submitted.change();
    if (change.op() == Change.Op.PUT && change.kind() == Change.EntryKind.FILE) {
      if (change.size() > maxFileSize) {
        refused++;
        return new Refused(id, TOO_LARGE, "event " + id + " puts a file of " + change.size()
            + " bytes, over this Mothership's limit of " + maxFileSize + " bytes");
      }
      Optional<Long> stored = EventRows.blobSize(c, workspace, change.hash());
      if (stored.isEmpty()) {
        refused++;
        return new Refused(id, MISSING_CONTENT, "event " + id + " puts content " + change.hash().abbreviated()
            + " that is not stored in workspace " + workspace + "; upload the blob first");
      }
      if (stored.get() != change.size()) {
        refused++;
        return new Refused(id, SIZE_MISMATCH, "event " + id + " declares " + change.size() + " bytes for content "
            + change.hash().abbreviated() + ", which is " + stored.get() + " bytes");
      }
    }
    ConflictRule.Resolution resolution;
    try {
      resolution = ConflictRule.resolve(id, change, path -> head(workspace, path));
    } catch (UncheckedSql e) {
      throw e.getCause();
    } catch (UncheckedLog e) {
      throw e.getCause();
    } catch (IllegalArgumentException e) {
      refused++;
      return new Refused(id, UNRESOLVABLE, "event " + id + " cannot be placed: " + e.getMessage());
    }
    long seq = seqs.get(workspace) + 1;
    SyncEvent event = new SyncEvent(workspace, seq, id, resolution.change(), resolution.outcome(),
        resolution.conflictOf(), persistedAt);
    EventRows.insertEvent(c, event);
    if (event.outcome() != SyncEvent.Outcome.SUPERSEDED) {
      EventRows.upsertPathHead(c, event);
      headCache.computeIfAbsent(workspace, w -> new HashMap<>())
          .put(event.path(), Optional.of(new PathHead(seq, id, event.change())));
    }
    seqs.put(workspace, seq);
    here.put(id, event);
    persisted++;
    return new Persisted(id, event, false);
  }

  private Optional<PathHead> head(WorkspaceName workspace, SyncPath path) {
    Map<SyncPath, Optional<PathHead>> cache = headCache.computeIfAbsent(workspace, w -> new HashMap<>());
    Optional<PathHead> cached = cache.get(path);
    if (cached != null) {
      return cached;
    }
    try {
      Optional<PathHead> head = EventRows.pathHead(c, workspace, path);
      cache.put(path, head);
      return head;
    } catch (SQLException e) {
      throw new UncheckedSql(e);
    } catch (EventLogException e) {
      throw new UncheckedLog(e);
    }
  }

  private static final class UncheckedSql extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedSql(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  private static final class UncheckedLog extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedLog(EventLogException cause) {
      super(cause);
    }

    @Override
    public synchronized EventLogException getCause() {
      return (EventLogException) super.getCause();
    }
  }
}
