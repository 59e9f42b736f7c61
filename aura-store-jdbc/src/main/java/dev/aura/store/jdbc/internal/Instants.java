package dev.aura.store.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Instants as two columns, {@code <name>_s} (epoch seconds) and {@code <name>_n} (nanoseconds): exact. */
final class Instants {
  private Instants() {}

  /** Binds {@code at} to parameters {@code index} and {@code index + 1}; null binds two NULLs. */
  static void bind(PreparedStatement statement, int index, Instant at) throws SQLException {
    if (at == null) {
      statement.setNull(index, Types.BIGINT);
      statement.setNull(index + 1, Types.INTEGER);
      return;
    }
    statement.setLong(index, at.getEpochSecond());
    statement.setInt(index + 1, at.getNano());
  }

  /** Reads {@code <name>_s} and {@code <name>_n}; null if the seconds are NULL. */
  static Instant read(ResultSet rs, String name) throws SQLException {
    long seconds = rs.getLong(name + "_s");
    if (rs.wasNull()) {
      return null;
    }
    return Instant.ofEpochSecond(seconds, rs.getInt(name + "_n"));
  }
}
