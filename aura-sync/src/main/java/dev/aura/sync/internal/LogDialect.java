package dev.aura.sync.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Every difference between SQLite and PostgreSQL for the event log, in one place; the SQL is otherwise
 * written once.
 *
 * <ul>
 *   <li>connection properties: SQLite WAL, {@code synchronous=FULL} (a commit is fsynced before it returns)
 *       and a busy timeout; PostgreSQL timeouts and an application name;
 *   <li>transactions: SQLite takes the write lock up front ({@code BEGIN IMMEDIATE}) and writers of this
 *       process queue on a Java lock; PostgreSQL runs READ COMMITTED and locks the workspace head row
 *       ({@code SELECT ... FOR UPDATE});
 *   <li>the binary column type ({@code BLOB} / {@code BYTEA}), the {@code ${binary}} migration placeholder;
 *   <li>the current schema (SQLite has one).
 * </ul>
 */
public enum LogDialect {
  /** SQLite through the xerial driver: one file, one writer at a time. */
  SQLITE("sqlite", "BLOB", "") {
    @Override
    Properties connectionProperties(int connectTimeoutSeconds, int busyTimeoutMillis) {
      Properties p = new Properties();
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "FULL");
      p.setProperty("busy_timeout", Integer.toString(busyTimeoutMillis));
      // Only Flyway uses JDBC transactions; the log's own use BEGIN IMMEDIATE (see begin()).
      p.setProperty("transaction_mode", "IMMEDIATE");
      return p;
    }

    @Override
    Properties inspectionProperties(int connectTimeoutSeconds, int busyTimeoutMillis) {
      // No journal_mode: switching a foreign or corrupted file to WAL would write to it.
      Properties p = new Properties();
      p.setProperty("busy_timeout", Integer.toString(busyTimeoutMillis));
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
      try (Statement s = connection.createStatement()) {
        s.execute("ROLLBACK");
      }
    }

    @Override
    String currentSchema(Connection connection) {
      return null;
    }

    @Override
    boolean serializesWritesInProcess() {
      return true;
    }
  },

  /** PostgreSQL through the official driver. */
  POSTGRESQL("postgresql", "BYTEA", " FOR UPDATE") {
    @Override
    Properties connectionProperties(int connectTimeoutSeconds, int busyTimeoutMillis) {
      Properties p = new Properties();
      p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
      p.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
      p.setProperty("ApplicationName", "aura-sync");
      return p;
    }

    @Override
    Properties inspectionProperties(int connectTimeoutSeconds, int busyTimeoutMillis) {
      return connectionProperties(connectTimeoutSeconds, busyTimeoutMillis);
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
    boolean serializesWritesInProcess() {
      return false;
    }
  };

  private final String kind;
  private final String binaryType;
  private final String lockingRead;

  LogDialect(String kind, String binaryType, String lockingRead) {
    this.kind = kind;
    this.binaryType = binaryType;
    this.lockingRead = lockingRead;
  }

  /** @return "sqlite" or "postgresql" */
  public String kind() {
    return kind;
  }

  String binaryType() {
    return binaryType;
  }

  /** Appended to a SELECT inside a write transaction to lock the rows read (SQLite already holds the lock). */
  String lockingRead() {
    return lockingRead;
  }

  abstract Properties connectionProperties(int connectTimeoutSeconds, int busyTimeoutMillis);

  /** Driver properties for the one connection that inspects a database before anything may be written. */
  abstract Properties inspectionProperties(int connectTimeoutSeconds, int busyTimeoutMillis);

  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /** @return the schema the connection works in; null for SQLite */
  abstract String currentSchema(Connection connection) throws SQLException;

  /** Whether writers of this process queue on a Java lock before the database's (SQLite's busy handler sleeps). */
  abstract boolean serializesWritesInProcess();
}
