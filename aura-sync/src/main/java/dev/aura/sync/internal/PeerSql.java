package dev.aura.sync.internal;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventId;
import dev.aura.sync.PathHead;
import dev.aura.sync.SyncPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every SQL statement of the peer's sync.db. Callers hold the store's lock and own the transaction. */
public final class PeerSql {
  /** The schema this code writes; a file with a higher {@code user_version} is refused. */
  public static final int SCHEMA_VERSION = 1;

  private static final String[] SCHEMA = {
      """
      CREATE TABLE IF NOT EXISTS binding (
        id INTEGER PRIMARY KEY,
        directory TEXT NOT NULL UNIQUE,
        workspace TEXT NOT NULL,
        peer TEXT NOT NULL,
        applied_seq INTEGER NOT NULL DEFAULT 0,
        next_local_seq INTEGER NOT NULL DEFAULT 1,
        last_ack_at INTEGER,
        created_at INTEGER NOT NULL)""",
      """
      CREATE TABLE IF NOT EXISTS wal (
        binding_id INTEGER NOT NULL REFERENCES binding(id),
        local_seq INTEGER NOT NULL,
        path TEXT NOT NULL,
        op TEXT NOT NULL,
        kind TEXT NOT NULL,
        hash TEXT,
        size INTEGER NOT NULL,
        executable INTEGER NOT NULL,
        link_target TEXT,
        based_on INTEGER NOT NULL,
        authored_at TEXT NOT NULL,
        content BLOB,
        state TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        refused_code TEXT,
        refused_message TEXT,
        refused_at INTEGER,
        kept_as TEXT,
        PRIMARY KEY (binding_id, local_seq))""",
      "CREATE INDEX IF NOT EXISTS wal_by_path ON wal(binding_id, path)",
      "CREATE INDEX IF NOT EXISTS wal_by_hash ON wal(binding_id, hash)",
      """
      CREATE TABLE IF NOT EXISTS entry (
        binding_id INTEGER NOT NULL REFERENCES binding(id),
        path TEXT NOT NULL,
        base_seq INTEGER NOT NULL DEFAULT 0,
        acked_seq INTEGER NOT NULL DEFAULT 0,
        head_seq INTEGER,
        head_author TEXT,
        head_local_seq INTEGER,
        head_op TEXT,
        head_kind TEXT,
        head_hash TEXT,
        head_size INTEGER,
        head_executable INTEGER,
        head_link_target TEXT,
        head_based_on INTEGER,
        head_authored_at TEXT,
        obs_kind TEXT,
        obs_size INTEGER,
        obs_mtime_ns INTEGER,
        obs_executable INTEGER,
        obs_hash TEXT,
        obs_link_target TEXT,
        obs_racy INTEGER,
        PRIMARY KEY (binding_id, path))"""
  };

  private static final String WAL_COLUMNS = "local_seq, path, op, kind, hash, size, executable, link_target,"
      + " based_on, authored_at, state, recorded_at, refused_code, refused_message, refused_at, kept_as";
  private static final String ENTRY_COLUMNS = "path, base_seq, head_seq, head_author, head_local_seq, head_op,"
      + " head_kind, head_hash, head_size, head_executable, head_link_target, head_based_on, head_authored_at,"
      + " obs_kind, obs_size, obs_mtime_ns, obs_executable, obs_hash, obs_link_target, obs_racy, acked_seq";

  private PeerSql() {}

  /** @return the file's {@code user_version} (0 for a new file); reads the header, so a non-database fails */
  public static int userVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      rs.next();
      int version = rs.getInt(1);
      try (ResultSet probe = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
        probe.next();
      }
      return version;
    }
  }

  /** Sets the durability pragmas; returns the journal mode SQLite reports. */
  public static String configure(Connection c, int busyTimeoutMillis) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + busyTimeoutMillis);
      s.execute("PRAGMA synchronous = FULL");
      s.execute("PRAGMA foreign_keys = ON");
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Creates the tables (idempotent) and stamps the schema version. */
  public static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
      s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
    }
  }

  /** Starts a transaction; a write one takes the write lock now ({@code BEGIN IMMEDIATE}), not halfway. */
  public static void begin(Connection c, boolean write) throws SQLException {
    exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
  }

  public static void commit(Connection c) throws SQLException {
    exec(c, "COMMIT");
  }

  public static void rollback(Connection c) throws SQLException {
    exec(c, "ROLLBACK");
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  // ---------------------------------------------------------------- bindings

  public static Optional<BindingRow> binding(Connection c, String directory) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, directory, workspace, peer, applied_seq, last_ack_at FROM binding WHERE directory = ?")) {
      ps.setString(1, directory);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(bindingRow(rs)) : Optional.empty();
      }
    }
  }

  public static List<BindingRow> bindings(Connection c) throws SQLException {
    List<BindingRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, directory, workspace, peer, applied_seq, last_ack_at FROM binding ORDER BY directory");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(bindingRow(rs));
      }
    }
    return out;
  }

  private static BindingRow bindingRow(ResultSet rs) throws SQLException {
    RowReader r = new RowReader(rs, "the binding row " + rs.getObject(1));
    long id = r.integer(1, "id");
    Long ack = r.integerOrNull(6, "last_ack_at");
    return new BindingRow(id, r.text(2, "directory"), r.parsed(3, "workspace", WorkspaceName::parse),
        r.parsed(4, "peer", PeerId::parse), r.integer(5, "applied_seq"),
        ack == null ? null : r.whole("binding", () -> Instant.ofEpochMilli(ack)));
  }

  public static long insertBinding(Connection c, String directory, WorkspaceName workspace, PeerId peer,
      Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO binding(directory, workspace, peer, created_at) VALUES (?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, directory);
      ps.setString(2, workspace.value());
      ps.setString(3, peer.value());
      ps.setLong(4, now.toEpochMilli());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  public static long appliedSeq(Connection c, long binding) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT applied_seq FROM binding WHERE id = ?")) {
      ps.setLong(1, binding);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("binding " + binding + " vanished from sync.db");
        }
        return rs.getLong(1);
      }
    }
  }

  public static void setAppliedSeq(Connection c, long binding, long seq) throws SQLException {
    update(c, "UPDATE binding SET applied_seq = ? WHERE id = ?", seq, binding);
  }

  public static void setLastAck(Connection c, long binding, Instant at) throws SQLException {
    update(c, "UPDATE binding SET last_ack_at = ? WHERE id = ?", at.toEpochMilli(), binding);
  }

  /** @return the next local sequence of the binding, reserved (never handed out again, even once trimmed) */
  public static long reserveLocalSeq(Connection c, long binding) throws SQLException {
    long next;
    try (PreparedStatement ps = c.prepareStatement("SELECT next_local_seq FROM binding WHERE id = ?")) {
      ps.setLong(1, binding);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        next = rs.getLong(1);
      }
    }
    update(c, "UPDATE binding SET next_local_seq = ? WHERE id = ?", next + 1, binding);
    return next;
  }

  // ---------------------------------------------------------------- WAL

  public static void insertWal(Connection c, long binding, long localSeq, Change change, byte[] content,
      Instant recordedAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO wal(binding_id, local_seq, path, op, kind, hash,"
        + " size, executable, link_target, based_on, authored_at, content, state, recorded_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, binding);
      ps.setLong(2, localSeq);
      ps.setString(3, change.path().value());
      ps.setString(4, change.op().name());
      ps.setString(5, change.kind().name());
      ps.setString(6, change.hash() == null ? null : change.hash().hex());
      ps.setLong(7, change.size());
      ps.setInt(8, change.executable() ? 1 : 0);
      ps.setString(9, change.linkTarget());
      ps.setLong(10, change.basedOn());
      ps.setString(11, change.authoredAt().toString());
      if (content == null) {
        ps.setNull(12, Types.BLOB);
      } else {
        ps.setBytes(12, content);
      }
      ps.setString(13, WalRow.PENDING);
      ps.setLong(14, recordedAt.toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** @return rows in {@code state}, oldest first, at most {@code limit} */
  public static List<WalRow> walRows(Connection c, long binding, String state, int limit) throws SQLException {
    return walRowsAfter(c, binding, state, 0, limit); // local sequences start at 1
  }

  /** @return rows in {@code state} after {@code localSeq}, oldest first, at most {@code limit} */
  public static List<WalRow> walRowsAfter(Connection c, long binding, String state, long localSeq, int limit)
      throws SQLException {
    return walQuery(c, "SELECT " + WAL_COLUMNS + " FROM wal WHERE binding_id = ? AND state = ? AND local_seq > ?"
        + " ORDER BY local_seq LIMIT ?", binding, state, localSeq, limit);
  }

  /** @return the rows that still make {@code path} dirty: pending ones, and refused ones not kept as a copy */
  public static List<WalRow> unresolvedRows(Connection c, long binding, SyncPath path) throws SQLException {
    return walQuery(c, "SELECT " + WAL_COLUMNS + " FROM wal WHERE binding_id = ? AND path = ?"
        + " AND (state = 'PENDING' OR kept_as IS NULL) ORDER BY local_seq", binding, path.value());
  }

  public static Optional<WalRow> walRow(Connection c, long binding, long localSeq) throws SQLException {
    List<WalRow> rows = walQuery(c, "SELECT " + WAL_COLUMNS + " FROM wal WHERE binding_id = ? AND local_seq = ?",
        binding, localSeq);
    return rows.stream().findFirst();
  }

  private static List<WalRow> walQuery(Connection c, String sql, Object... args) throws SQLException {
    List<WalRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(walRow(rs, args[0]));
        }
      }
    }
    return out;
  }

  private static WalRow walRow(ResultSet rs, Object binding) throws SQLException {
    RowReader r = new RowReader(rs, "the WAL row " + rs.getObject(1) + " of binding " + binding);
    long localSeq = r.integer(1, "local_seq");
    Change change = change(r, 3, "", r.parsed(2, "path", SyncPath::parse));
    String state = r.text(11, "state");
    if (!state.equals(WalRow.PENDING) && !state.equals(WalRow.REFUSED)) {
      throw r.corrupt("state", "holds '" + RowReader.shown(state, 40) + "', expected PENDING or REFUSED");
    }
    long recordedAt = r.integer(12, "recorded_at");
    String refusedCode = r.textOrNull(13, "refused_code");
    String refusedMessage = r.textOrNull(14, "refused_message");
    Long refusedAt = r.integerOrNull(15, "refused_at");
    String keptAs = r.textOrNull(16, "kept_as");
    r.parseOrNull(keptAs, "kept_as", SyncPath::parse);
    return r.whole("WAL event", () -> new WalRow(localSeq, change, state, Instant.ofEpochMilli(recordedAt),
        refusedCode, refusedMessage, refusedAt == null ? null : Instant.ofEpochMilli(refusedAt), keptAs));
  }

  /**
   * Reads a change from the columns op, kind, hash, size, executable, link_target, based_on, authored_at,
   * in that order from {@code op}, each named {@code prefix} + its name.
   */
  private static Change change(RowReader r, int op, String prefix, SyncPath path) throws SQLException {
    Change.Op what = r.constant(op, prefix + "op", Change.Op.class);
    Change.EntryKind kind = r.constant(op + 1, prefix + "kind", Change.EntryKind.class);
    ContentHash hash = r.parseOrNull(r.textOrNull(op + 2, prefix + "hash"), prefix + "hash", ContentHash::parse);
    long size = r.integer(op + 3, prefix + "size");
    boolean executable = r.flag(op + 4, prefix + "executable");
    String linkTarget = r.textOrNull(op + 5, prefix + "link_target");
    long basedOn = r.integer(op + 6, prefix + "based_on");
    Instant authoredAt = r.parsed(op + 7, prefix + "authored_at", Instant::parse);
    return r.whole("change", () -> new Change(what, path, kind, hash, size, executable, linkTarget, basedOn,
        authoredAt));
  }

  /**
   * @return the content a WAL row stores for {@code hash}, or null
   * @throws CorruptRowException when the stored bytes are not that content (truncated or changed on disk)
   */
  /**
   * @return {@code length} bytes from {@code offset} of the content a WAL row carries for {@code hash} (fewer at
   *     its end, none past it), read by SQLite's {@code substr} without loading the rest; null when no row
   *     carries it
   */
  public static byte[] contentRange(Connection c, long binding, ContentHash hash, long offset, int length)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT substr(content, ?, ?) FROM wal WHERE binding_id = ?"
        + " AND hash = ? AND content IS NOT NULL LIMIT 1")) {
      ps.setLong(1, offset + 1);
      ps.setInt(2, length);
      ps.setLong(3, binding);
      ps.setString(4, hash.hex());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Object range = rs.getObject(1);
        return range instanceof byte[] bytes ? bytes : new byte[0];
      }
    }
  }

  public static byte[] content(Connection c, long binding, ContentHash hash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT content, local_seq FROM wal WHERE binding_id = ?"
        + " AND hash = ? AND content IS NOT NULL LIMIT 1")) {
      ps.setLong(1, binding);
      ps.setString(2, hash.hex());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        RowReader r = new RowReader(rs, "the WAL row " + rs.getObject(2) + " of binding " + binding);
        if (!(rs.getObject(1) instanceof byte[] content)) {
          throw r.corrupt("content", "is not a blob");
        }
        if (!ContentHash.of(content).equals(hash)) {
          throw r.corrupt("content", "holds " + content.length + " bytes that do not match their hash "
              + hash.abbreviated() + " (truncated or changed on disk)");
        }
        return content;
      }
    }
  }

  /** @return whether a row was deleted */
  public static boolean deleteWal(Connection c, long binding, long localSeq) throws SQLException {
    return update(c, "DELETE FROM wal WHERE binding_id = ? AND local_seq = ?", binding, localSeq) > 0;
  }

  /** @return whether a pending row was marked refused */
  public static boolean markRefused(Connection c, long binding, long localSeq, String code, String message,
      Instant at) throws SQLException {
    return update(c, "UPDATE wal SET state = 'REFUSED', refused_code = ?, refused_message = ?, refused_at = ?"
        + " WHERE binding_id = ? AND local_seq = ? AND state = 'PENDING'", code, message, at.toEpochMilli(),
        binding, localSeq) > 0;
  }

  public static void markKeptAs(Connection c, long binding, SyncPath path, SyncPath copy) throws SQLException {
    update(c, "UPDATE wal SET kept_as = ? WHERE binding_id = ? AND path = ? AND state = 'REFUSED'"
        + " AND kept_as IS NULL", copy.value(), binding, path.value());
  }

  /** Counts of one binding's WAL. */
  public record WalStats(long unacked, long bytes, Instant oldestUnacked) {}

  public static WalStats walStats(Connection c, long binding) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT"
        + " coalesce(sum(CASE WHEN state = 'PENDING' THEN 1 ELSE 0 END), 0),"
        + " coalesce(sum(coalesce(length(content), 0) + length(CAST(path AS BLOB))"
        + "   + coalesce(length(CAST(link_target AS BLOB)), 0) + coalesce(length(CAST(refused_message AS BLOB)), 0)"
        + "   + coalesce(length(CAST(refused_code AS BLOB)), 0) + coalesce(length(CAST(kept_as AS BLOB)), 0)"
        + "   + 160), 0),"
        + " min(CASE WHEN state = 'PENDING' THEN recorded_at END)"
        + " FROM wal WHERE binding_id = ?")) {
      ps.setLong(1, binding);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long oldest = rs.getLong(3);
        boolean none = rs.wasNull();
        return new WalStats(rs.getLong(1), rs.getLong(2), none ? null : Instant.ofEpochMilli(oldest));
      }
    }
  }

  // ---------------------------------------------------------------- index

  public static Map<SyncPath, EntryRow> entries(Connection c, long binding) throws SQLException {
    Map<SyncPath, EntryRow> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM entry WHERE binding_id = ?"
        + " ORDER BY path")) {
      ps.setLong(1, binding);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          EntryRow row = entryRow(rs, binding);
          out.put(row.path(), row);
        }
      }
    }
    return out;
  }

  /** @return the row of {@code path}; an empty row (base 0, no head, nothing observed) when there is none */
  public static EntryRow entry(Connection c, long binding, SyncPath path) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM entry"
        + " WHERE binding_id = ? AND path = ?")) {
      ps.setLong(1, binding);
      ps.setString(2, path.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? entryRow(rs, binding) : new EntryRow(path, 0, 0, null, null);
      }
    }
  }

  private static EntryRow entryRow(ResultSet rs, long binding) throws SQLException {
    RowReader r = new RowReader(rs, "the index row '" + RowReader.shown(String.valueOf(rs.getObject(1)), 80)
        + "' of binding " + binding);
    SyncPath path = r.parsed(1, "path", SyncPath::parse);
    Long headSeq = r.integerOrNull(3, "head_seq");
    PathHead head = null;
    if (headSeq != null) {
      Change change = change(r, 6, "head_", path);
      PeerId author = r.parsed(4, "head_author", PeerId::parse);
      long localSeq = r.integer(5, "head_local_seq");
      head = r.whole("index head", () -> new PathHead(headSeq, new EventId(author, localSeq), change));
    }
    Observed observed = null;
    String observedKind = r.textOrNull(14, "obs_kind");
    if (observedKind != null) {
      Change.EntryKind kind = r.constant(14, "obs_kind", Change.EntryKind.class);
      long size = r.integer(15, "obs_size");
      long mtime = r.integer(16, "obs_mtime_ns");
      boolean executable = r.flag(17, "obs_executable");
      ContentHash hash = r.parseOrNull(r.textOrNull(18, "obs_hash"), "obs_hash", ContentHash::parse);
      String linkTarget = r.textOrNull(19, "obs_link_target");
      boolean racy = r.flag(20, "obs_racy");
      observed = r.whole("index observation", () -> new Observed(kind, size, mtime, executable, hash, linkTarget,
          racy));
    }
    long baseSeq = r.integer(2, "base_seq");
    long ackedSeq = r.integer(21, "acked_seq");
    PathHead finalHead = head;
    Observed finalObserved = observed;
    return r.whole("index entry", () -> new EntryRow(path, baseSeq, ackedSeq, finalHead, finalObserved));
  }

  private static void ensureEntry(Connection c, long binding, SyncPath path) throws SQLException {
    update(c, "INSERT INTO entry(binding_id, path) VALUES (?, ?) ON CONFLICT DO NOTHING", binding, path.value());
  }

  /** Records what is on disk at {@code path} (null: nothing). */
  public static void setObserved(Connection c, long binding, SyncPath path, Observed o) throws SQLException {
    ensureEntry(c, binding, path);
    try (PreparedStatement ps = c.prepareStatement("UPDATE entry SET obs_kind = ?, obs_size = ?, obs_mtime_ns = ?,"
        + " obs_executable = ?, obs_hash = ?, obs_link_target = ?, obs_racy = ? WHERE binding_id = ? AND path = ?")) {
      ps.setString(1, o == null ? null : o.kind().name());
      ps.setObject(2, o == null ? null : o.size());
      ps.setObject(3, o == null ? null : o.mtimeNanos());
      ps.setObject(4, o == null ? null : (o.executable() ? 1 : 0));
      ps.setString(5, o == null || o.hash() == null ? null : o.hash().hex());
      ps.setString(6, o == null ? null : o.linkTarget());
      ps.setObject(7, o == null ? null : (o.racy() ? 1 : 0));
      ps.setLong(8, binding);
      ps.setString(9, path.value());
      ps.executeUpdate();
    }
  }

  /** Records the latest event applied at the head's path. */
  public static void setHead(Connection c, long binding, PathHead head) throws SQLException {
    Change ch = head.change();
    ensureEntry(c, binding, ch.path());
    update(c, "UPDATE entry SET head_seq = ?, head_author = ?, head_local_seq = ?, head_op = ?, head_kind = ?,"
        + " head_hash = ?, head_size = ?, head_executable = ?, head_link_target = ?, head_based_on = ?,"
        + " head_authored_at = ? WHERE binding_id = ? AND path = ?", head.seq(), head.id().author().value(),
        head.id().localSeq(), ch.op().name(), ch.kind().name(), ch.hash() == null ? null : ch.hash().hex(),
        ch.size(), ch.executable() ? 1 : 0, ch.linkTarget(), ch.basedOn(), ch.authoredAt().toString(), binding,
        ch.path().value());
  }

  /** Records which workspace sequence the content on disk at {@code path} derives from. */
  public static void setBase(Connection c, long binding, SyncPath path, long seq) throws SQLException {
    ensureEntry(c, binding, path);
    update(c, "UPDATE entry SET base_seq = ? WHERE binding_id = ? AND path = ?", seq, binding, path.value());
  }

  /** Records that a local change of {@code path} was persisted as {@code seq} (kept: the highest). */
  public static void setAckedSeq(Connection c, long binding, SyncPath path, long seq) throws SQLException {
    ensureEntry(c, binding, path);
    update(c, "UPDATE entry SET acked_seq = max(acked_seq, ?) WHERE binding_id = ? AND path = ?", seq, binding,
        path.value());
  }

  // ---------------------------------------------------------------- helpers

  private static ContentHash hashOrNull(String hex) {
    return hex == null ? null : ContentHash.parse(hex);
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
