package dev.aura.sync.internal;

import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventId;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
import dev.aura.sync.PathHead;
import dev.aura.sync.SyncEvent;
import dev.aura.sync.SyncPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the event log's tables, and the mapping between their rows and the sync values. */
public final class EventRows {
  private static final String EVENT_COLUMNS = "workspace, seq, event_id, author, local_seq, op, path, kind, hash,"
      + " size, executable, link_target, based_on, authored_at_s, authored_at_n, outcome, conflict_of,"
      + " persisted_at_s, persisted_at_n";
  private static final String HEAD_COLUMNS = "workspace, path, seq, event_id, op, kind, hash, size, executable,"
      + " link_target, based_on, authored_at_s, authored_at_n";

  private EventRows() {}

  /** @return up to {@code limit} events of {@code workspace} after {@code afterSeq}, in sequence order */
  public static List<SyncEvent> read(Connection c, WorkspaceName workspace, long afterSeq, int limit)
      throws SQLException, EventLogException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + EVENT_COLUMNS
        + " FROM sync_events WHERE workspace = ? AND seq > ? ORDER BY seq LIMIT ?")) {
      s.setString(1, workspace.value());
      s.setLong(2, afterSeq);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<SyncEvent> events = new ArrayList<>();
        while (rs.next()) {
          events.add(event(rs));
        }
        return events;
      }
    }
  }

  /** @return the event persisted under {@code id} in {@code workspace}, if any */
  static Optional<SyncEvent> find(Connection c, WorkspaceName workspace, EventId id)
      throws SQLException, EventLogException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + EVENT_COLUMNS
        + " FROM sync_events WHERE workspace = ? AND event_id = ?")) {
      s.setString(1, workspace.value());
      s.setString(2, id.toString());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(event(rs)) : Optional.empty();
      }
    }
  }

  /** @return the workspace's last sequence, 0 when it has none */
  public static long head(Connection c, WorkspaceName workspace) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT head_seq FROM sync_workspace_heads WHERE workspace = ?")) {
      s.setString(1, workspace.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** @return every workspace with at least one event, and its last sequence, by name */
  public static Map<WorkspaceName, Long> heads(Connection c) throws SQLException, EventLogException {
    Map<WorkspaceName, Long> heads = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT workspace, head_seq FROM sync_workspace_heads WHERE head_seq > 0 ORDER BY workspace");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        try {
          heads.put(WorkspaceName.parse(rs.getString(1)), rs.getLong(2));
        } catch (IllegalArgumentException e) {
          throw new EventLogException(Reason.CORRUPT, "sync_workspace_heads holds an invalid workspace name");
        }
      }
    }
    return heads;
  }

  /**
   * Locks the workspace's head row for the rest of the transaction, creating it at 0 when missing.
   *
   * @return its current sequence
   */
  static long lockWorkspace(Connection c, DatabaseDialect dialect, WorkspaceName workspace) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_workspace_heads (workspace, head_seq)"
        + " VALUES (?, 0) ON CONFLICT (workspace) DO NOTHING")) {
      s.setString(1, workspace.value());
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(
        "SELECT head_seq FROM sync_workspace_heads WHERE workspace = ?" + dialect.lockingRead())) {
      s.setString(1, workspace.value());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("workspace head row vanished inside its transaction");
        }
        return rs.getLong(1);
      }
    }
  }

  static void setWorkspaceHead(Connection c, WorkspaceName workspace, long seq) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE sync_workspace_heads SET head_seq = ? WHERE workspace = ?")) {
      s.setLong(1, seq);
      s.setString(2, workspace.value());
      if (s.executeUpdate() != 1) {
        throw new SQLException("workspace head row vanished inside its transaction");
      }
    }
  }

  static void insertEvent(Connection c, SyncEvent event) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_events (" + EVENT_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Change change = event.change();
      s.setString(1, event.workspace().value());
      s.setLong(2, event.seq());
      s.setString(3, event.id().toString());
      s.setString(4, event.author().value());
      s.setLong(5, event.id().localSeq());
      bindChange(s, 6, change);
      s.setString(16, event.outcome().name());
      s.setString(17, event.conflictOf() == null ? null : event.conflictOf().value());
      s.setLong(18, event.persistedAt().getEpochSecond());
      s.setInt(19, event.persistedAt().getNano());
      s.executeUpdate();
    }
  }

  /** Binds op, path, kind, hash, size, executable, link_target, based_on, authored_at_s/_n from {@code i}. */
  private static void bindChange(PreparedStatement s, int i, Change change) throws SQLException {
    s.setString(i, change.op().name());
    s.setString(i + 1, change.path().value());
    s.setString(i + 2, change.kind().name());
    if (change.hash() == null) {
      s.setNull(i + 3, Types.VARCHAR);
    } else {
      s.setString(i + 3, change.hash().hex());
    }
    s.setLong(i + 4, change.size());
    s.setBoolean(i + 5, change.executable());
    s.setString(i + 6, change.linkTarget());
    s.setLong(i + 7, change.basedOn());
    s.setLong(i + 8, change.authoredAt().getEpochSecond());
    s.setInt(i + 9, change.authoredAt().getNano());
  }

  /** Makes {@code event} the head of the path it took effect at. */
  static void upsertPathHead(Connection c, SyncEvent event) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_path_heads (" + HEAD_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, path) DO UPDATE SET"
        + " seq = excluded.seq, event_id = excluded.event_id, op = excluded.op, kind = excluded.kind,"
        + " hash = excluded.hash, size = excluded.size, executable = excluded.executable,"
        + " link_target = excluded.link_target, based_on = excluded.based_on,"
        + " authored_at_s = excluded.authored_at_s, authored_at_n = excluded.authored_at_n")) {
      Change change = event.change();
      s.setString(1, event.workspace().value());
      s.setString(2, change.path().value());
      s.setLong(3, event.seq());
      s.setString(4, event.id().toString());
      s.setString(5, change.op().name());
      s.setString(6, change.kind().name());
      if (change.hash() == null) {
        s.setNull(7, Types.VARCHAR);
      } else {
        s.setString(7, change.hash().hex());
      }
      s.setLong(8, change.size());
      s.setBoolean(9, change.executable());
      s.setString(10, change.linkTarget());
      s.setLong(11, change.basedOn());
      s.setLong(12, change.authoredAt().getEpochSecond());
      s.setInt(13, change.authoredAt().getNano());
      s.executeUpdate();
    }
  }

  /** @return the head of {@code path}, if anything ever took effect there */
  public static Optional<PathHead> pathHead(Connection c, WorkspaceName workspace, SyncPath path)
      throws SQLException, EventLogException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + HEAD_COLUMNS
        + " FROM sync_path_heads WHERE workspace = ? AND path = ?")) {
      s.setString(1, workspace.value());
      s.setString(2, path.value());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        try {
          return Optional.of(new PathHead(rs.getLong("seq"), EventId.parse(rs.getString("event_id")),
              change(rs)));
        } catch (IllegalArgumentException | NullPointerException | DateTimeException | ArithmeticException e) {
          throw new EventLogException(Reason.CORRUPT, "sync_path_heads of workspace " + workspace
              + " holds an invalid row (" + e.getMessage() + ")");
        }
      }
    }
  }

  private static SyncEvent event(ResultSet rs) throws SQLException, EventLogException {
    long seq = rs.getLong("seq");
    String workspace = rs.getString("workspace");
    try {
      String conflictOf = rs.getString("conflict_of");
      return new SyncEvent(WorkspaceName.parse(workspace), seq, EventId.parse(rs.getString("event_id")),
          change(rs), SyncEvent.Outcome.valueOf(rs.getString("outcome")),
          conflictOf == null ? null : SyncPath.parse(conflictOf),
          Instant.ofEpochSecond(rs.getLong("persisted_at_s"), rs.getInt("persisted_at_n")));
    } catch (IllegalArgumentException | NullPointerException | DateTimeException | ArithmeticException e) {
      throw new EventLogException(Reason.CORRUPT, "sync_events row at sequence " + seq
          + " is not a valid event (" + e.getMessage() + ")");
    }
  }

  private static Change change(ResultSet rs) throws SQLException {
    String hash = rs.getString("hash");
    return new Change(Change.Op.valueOf(rs.getString("op")), SyncPath.parse(rs.getString("path")),
        Change.EntryKind.valueOf(rs.getString("kind")), hash == null ? null : ContentHash.parse(hash),
        rs.getLong("size"), rs.getBoolean("executable"), rs.getString("link_target"), rs.getLong("based_on"),
        Instant.ofEpochSecond(rs.getLong("authored_at_s"), rs.getInt("authored_at_n")));
  }

  /** @return the size of the stored blob, if it is stored */
  public static Optional<Long> blobSize(Connection c, WorkspaceName workspace, ContentHash hash)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT size FROM sync_blobs WHERE workspace = ? AND hash = ?")) {
      s.setString(1, workspace.value());
      s.setString(2, hash.hex());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** @return the stored content, if it is stored */
  public static Optional<byte[]> blobData(Connection c, WorkspaceName workspace, ContentHash hash)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT data FROM sync_blobs WHERE workspace = ? AND hash = ?")) {
      s.setString(1, workspace.value());
      s.setString(2, hash.hex());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** Stores verified content unless it is stored already. */
  public static void insertBlob(Connection c, WorkspaceName workspace, ContentHash hash, byte[] data, int length)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_blobs (workspace, hash, size, data)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (workspace, hash) DO NOTHING")) {
      s.setString(1, workspace.value());
      s.setString(2, hash.hex());
      s.setLong(3, length);
      s.setBinaryStream(4, new java.io.ByteArrayInputStream(data, 0, length), length);
      s.executeUpdate();
    }
  }
}
