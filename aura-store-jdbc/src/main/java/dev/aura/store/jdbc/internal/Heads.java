package dev.aura.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code aura_heads} rows that number append-only sequences. {@link #next} runs an {@code UPDATE}
 * first, which takes the row's write lock (PostgreSQL) inside the caller's transaction, so concurrent
 * appends from any process queue there; the value it reads back is this transaction's own. The lock is held
 * until the commit, so every statement after it is a round trip all other appenders wait for: keep them few.
 */
final class Heads {
  static final String REVOCATIONS = "revocations";
  static final String AUDIT = "audit";

  private Heads() {}

  /** The incremented sequence and the hash stored with the head before this call. */
  record Head(long seq, String hash) {}

  static Head next(Connection c, String name) throws SQLException {
    // One statement (one round trip while the row is locked): RETURNING gives the new seq and the hash as
    // it was, since this statement does not change it.
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE aura_heads SET seq = seq + 1 WHERE name = ? RETURNING seq, hash")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("aura_heads has no row '" + name + "': the schema was modified outside Aura");
        }
        return new Head(rs.getLong(1), rs.getString(2));
      }
    }
  }

  static void setHash(Connection c, String name, String hash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE aura_heads SET hash = ? WHERE name = ?")) {
      s.setString(1, hash);
      s.setString(2, name);
      s.executeUpdate();
    }
  }
}
