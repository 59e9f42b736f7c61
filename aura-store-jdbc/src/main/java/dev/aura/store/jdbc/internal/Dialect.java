package dev.aura.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Every difference between SQLite and PostgreSQL, in one place. Everything else (tables, statements,
 * upserts, row values) is written once in SQL that both accept.
 *
 * <ul>
 *   <li>connection properties: SQLite pragmas (WAL, synchronous FULL, busy timeout, foreign keys) and
 *       PostgreSQL timeouts;
 *   <li>transactions: SQLite takes the write lock up front ({@code BEGIN IMMEDIATE}, so a transaction never
 *       fails half way with {@code SQLITE_BUSY_SNAPSHOT}); PostgreSQL uses READ COMMITTED with row locks
 *       ({@code SELECT ... FOR UPDATE}, or the lock an {@code UPDATE} takes);
 *   <li>the binary column type ({@code BLOB} / {@code BYTEA}), a migration placeholder;
 *   <li>the current schema (SQLite has one, {@code main});
 *   <li>change notification: {@code pg_notify} inside the writing transaction for PostgreSQL; SQLite
 *       notifies in-process after the commit.
 * </ul>
 */
public enum Dialect {
  /** SQLite through the xerial driver: one file, one writer at a time. */
  SQLITE("SQLite", "BLOB", "") {
    @Override
    Properties connectionProperties(Duration connectTimeout, Duration busyTimeout) {
      Properties p = new Properties();
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "FULL");
      p.setProperty("busy_timeout", Long.toString(busyTimeout.toMillis()));
      p.setProperty("foreign_keys", "true");
      // Only Flyway uses JDBC transactions; the stores' own use BEGIN IMMEDIATE (see begin()).
      p.setProperty("transaction_mode", "IMMEDIATE");
      return p;
    }

    @Override
    Properties inspectionProperties(Duration connectTimeout, Duration busyTimeout) {
      // No journal_mode: switching a foreign database to WAL would write to it.
      Properties p = new Properties();
      p.setProperty("busy_timeout", Long.toString(busyTimeout.toMillis()));
      return p;
    }

    @Override
    void begin(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
    }

    @Override
    void commit(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      // Fails if SQLite already rolled back by itself; the caller then discards the connection.
      try (Statement s = connection.createStatement()) {
        s.execute("ROLLBACK");
      }
    }

    @Override
    String currentSchema(Connection connection) {
      return null;
    }

    @Override
    void notifyInTransaction(Connection connection, String channel, String payload) {
      // In-process only: JdbcChangeFeed delivers after the commit.
    }

    @Override
    boolean serializesWritesInProcess() {
      return true;
    }
  },

  /** PostgreSQL through the official driver. */
  POSTGRESQL("PostgreSQL", "BYTEA", " FOR UPDATE") {
    @Override
    Properties connectionProperties(Duration connectTimeout, Duration busyTimeout) {
      Properties p = new Properties();
      long seconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
      p.setProperty("connectTimeout", Long.toString(seconds));
      p.setProperty("loginTimeout", Long.toString(seconds));
      p.setProperty("ApplicationName", "aura-store-jdbc");
      return p;
    }

    @Override
    Properties inspectionProperties(Duration connectTimeout, Duration busyTimeout) {
      return connectionProperties(connectTimeout, busyTimeout);
    }

    @Override
    void begin(Connection connection) throws SQLException {
      connection.setAutoCommit(false);
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
      connection.setAutoCommit(true);
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }

    @Override
    String currentSchema(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_schema()")) {
        return rs.next() ? rs.getString(1) : null;
      }
    }

    @Override
    void notifyInTransaction(Connection connection, String channel, String payload) throws SQLException {
      try (PreparedStatement s = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
        s.setString(1, channel);
        s.setString(2, payload);
        s.execute();
      }
    }

    @Override
    boolean serializesWritesInProcess() {
      return false;
    }
  };

  private final String displayName;
  private final String binaryType;
  private final String lockingReadSuffix;

  Dialect(String displayName, String binaryType, String lockingReadSuffix) {
    this.displayName = displayName;
    this.binaryType = binaryType;
    this.lockingReadSuffix = lockingReadSuffix;
  }

  /** @return "SQLite" or "PostgreSQL" */
  public String displayName() {
    return displayName;
  }

  /** The column type for byte strings; the {@code ${binary}} migration placeholder. */
  String binaryType() {
    return binaryType;
  }

  /** Appended to a SELECT inside a write transaction to lock the rows read (SQLite already holds the lock). */
  String lockingRead() {
    return lockingReadSuffix;
  }

  /** Driver properties for the pooled connections. */
  abstract Properties connectionProperties(Duration connectTimeout, Duration busyTimeout);

  /** Driver properties for the one connection that inspects a database before anything may be written. */
  abstract Properties inspectionProperties(Duration connectTimeout, Duration busyTimeout);

  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /** @return the schema the connection works in, or null for SQLite (or a PostgreSQL search path naming none) */
  abstract String currentSchema(Connection connection) throws SQLException;

  /** Queues a notification that the database sends to listeners when the transaction commits. */
  abstract void notifyInTransaction(Connection connection, String channel, String payload) throws SQLException;

  /**
   * Whether writers in this process queue on a lock before the database's: SQLite allows one writer, and
   * its busy handler sleeps, so in-process writers are better queued in Java.
   */
  abstract boolean serializesWritesInProcess();
}
