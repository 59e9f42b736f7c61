package dev.aura.store.jdbc.internal;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.StoreException;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link AuditLog} over JDBC. {@link #append} increments the {@code audit} row of {@code aura_heads}, which
 * holds the last entry's hash, chains the new entry to it with {@link AuditChain#hash} and stores both in
 * one transaction: appends from every store on the database queue on that row lock and form one chain. The
 * head keeps the hash as appended, so editing the last row does not let the next entry "repair" the chain.
 *
 * <p>{@link #readChain} returns rows as stored. A row edited outside Aura so badly that it no longer forms
 * an {@link AuditEvent} (a line break, an unknown type, a missing field) is returned with its content
 * replaced by a marker, so {@link AuditChain#verify} reports that entry as modified instead of failing.
 */
public final class JdbcAuditLog implements AuditLog {
  private static final String COLUMNS =
      "seq, type, at_s, at_n, reference, peer, actor, subject, source, previous_hash, hash";

  private final SqlDatabase<JdbcStoreException> db;

  JdbcAuditLog(SqlDatabase<JdbcStoreException> db) {
    this.db = db;
  }

  @Override
  public AuditEntry append(AuditEvent event) throws StoreException {
    Objects.requireNonNull(event, "event");
    return db.write("appending an audit entry (" + event.type() + ")", c -> {
      Heads.Head head = Heads.next(c, Heads.AUDIT);
      String previousHash = head.hash();
      AuditEntry entry = new AuditEntry(head.seq(), event, previousHash,
          AuditChain.hash(previousHash, head.seq(), event));
      // PostgreSQL: the head's new hash and the row in one statement, one round trip under the head's lock.
      boolean together = db.dialect() == DatabaseDialect.POSTGRESQL;
      if (!together) {
        Heads.setHash(c, Heads.AUDIT, entry.hash());
      }
      try (PreparedStatement s = c.prepareStatement((together
          ? "WITH head AS (UPDATE aura_heads SET hash = ? WHERE name = '" + Heads.AUDIT + "') " : "")
          + "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int at = 0;
        if (together) {
          s.setString(++at, entry.hash());
        }
        bindRow(s, at, entry, event);
        s.executeUpdate();
      }
      return entry;
    });
  }

  /** Binds the row's 11 columns after the first {@code offset} parameters. */
  private static void bindRow(PreparedStatement s, int offset, AuditEntry entry, AuditEvent event)
      throws SQLException {
    s.setLong(offset + 1, entry.sequence());
    s.setString(offset + 2, event.type().wireName());
    Instants.bind(s, offset + 3, event.at());
    s.setString(offset + 5, event.reference());
    s.setString(offset + 6, event.peer());
    s.setString(offset + 7, event.actor());
    s.setString(offset + 8, event.subject());
    s.setString(offset + 9, event.source());
    s.setString(offset + 10, entry.previousHash());
    s.setString(offset + 11, entry.hash());
  }

  @Override
  public List<AuditEntry> query(AuditQuery query) throws StoreException {
    Objects.requireNonNull(query, "query");
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
        + " FROM audit_log WHERE (at_s, at_n) >= (?, ?) AND (at_s, at_n) < (?, ?)");
    List<AuditEventType> types = new ArrayList<>(query.types());
    if (!types.isEmpty()) {
      sql.append(" AND type IN (").append("?, ".repeat(types.size() - 1)).append("?)");
    }
    sql.append(" ORDER BY at_s, at_n, seq LIMIT ?");
    return db.read("querying the audit log", c -> {
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        Instants.bind(s, 1, query.from());
        Instants.bind(s, 3, query.to());
        int index = 5;
        for (AuditEventType type : types) {
          s.setString(index++, type.wireName());
        }
        s.setInt(index, query.limit());
        return entries(s);
      }
    });
  }

  @Override
  public List<AuditEntry> readChain(long fromSequence, int limit) throws StoreException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return db.read("reading the audit chain from " + fromSequence, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
          + " FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?")) {
        s.setLong(1, Math.max(1, fromSequence));
        s.setInt(2, limit);
        return entries(s);
      }
    });
  }

  private static List<AuditEntry> entries(PreparedStatement s) throws SQLException {
    List<AuditEntry> entries = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        long seq = rs.getLong("seq");
        entries.add(new AuditEntry(seq, event(rs, seq), nonNull(rs.getString("previous_hash")),
            nonNull(rs.getString("hash"))));
      }
    }
    return List.copyOf(entries);
  }

  private static AuditEvent event(ResultSet rs, long seq) throws SQLException {
    String typeName = rs.getString("type");
    Instant at = Instants.read(rs, "at");
    try {
      return new AuditEvent(AuditEventType.parse(typeName), at, rs.getString("reference"), rs.getString("peer"),
          rs.getString("actor"), rs.getString("subject"), rs.getString("source"));
    } catch (IllegalArgumentException | NullPointerException e) {
      AuditEventType type;
      try {
        type = AuditEventType.parse(typeName);
      } catch (IllegalArgumentException unknown) {
        type = AuditEventType.HANDSHAKE_FAIL;
      }
      return AuditEvent.of(type, at == null ? Instant.EPOCH : at,
          "[unreadable entry " + seq + ": " + e.getMessage() + "]");
    }
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
