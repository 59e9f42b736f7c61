package dev.aura.store.jdbc.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Every difference between SQLite and PostgreSQL that {@link SqlDatabase} handles, in one place; callers
 * write the rest once in SQL that both accept.
 *
 * <ul>
 *   <li>connection properties: SQLite {@code journal_mode=WAL}, {@code synchronous=FULL} (a commit is
 *       fsynced before it returns), {@code busy_timeout}, {@code foreign_keys}; PostgreSQL connect and login
 *       timeouts and an application name;
 *   <li>transactions: SQLite takes the write lock up front ({@code BEGIN IMMEDIATE}, so a transaction never
 *       fails half way with {@code SQLITE_BUSY_SNAPSHOT}) and writers of this process queue on a Java lock;
 *       PostgreSQL runs READ COMMITTED with row locks ({@link #lockingRead()});
 *   <li>the binary column type ({@code BLOB} / {@code BYTEA}), the {@code ${binary}} migration placeholder;
 *   <li>the current schema (SQLite has one, {@code main}).
 * </ul>
 */
public enum DatabaseDialect {
  /** SQLite through the xerial driver: one file, one writer at a time. */
  SQLITE("SQLite", "sqlite", "BLOB", "") {
    @Override
    Properties connectionProperties(PoolSettings settings) {
      Properties p = new Properties();
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "FULL");
      p.setProperty("busy_timeout", Long.toString(settings.busyTimeout().toMillis()));
      p.setProperty("foreign_keys", "true");
      // Only Flyway uses JDBC transactions; SqlDatabase.write uses BEGIN IMMEDIATE (see begin()).
      p.setProperty("transaction_mode", "IMMEDIATE");
      return p;
    }

    @Override
    Properties inspectionProperties(PoolSettings settings) {
      // No journal_mode: switching a foreign or corrupted file to WAL would write to it.
      Properties p = new Properties();
      p.setProperty("busy_timeout", Long.toString(settings.busyTimeout().toMillis()));
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
    public String currentSchema(Connection connection) {
      return null;
    }

    @Override
    boolean serializesWritesInProcess() {
      return true;
    }
  },

  /** PostgreSQL through the official driver. */
  POSTGRESQL("PostgreSQL", "postgresql", "BYTEA", " FOR UPDATE") {
    @Override
    Properties connectionProperties(PoolSettings settings) {
      Properties p = new Properties();
      long seconds = Math.max(1, (settings.connectTimeout().toMillis() + 999) / 1000);
      p.setProperty("connectTimeout", Long.toString(seconds));
      p.setProperty("loginTimeout", Long.toString(seconds));
      p.setProperty("ApplicationName", settings.applicationName());
      return p;
    }

    @Override
    Properties inspectionProperties(PoolSettings settings) {
      return connectionProperties(settings);
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
    public String currentSchema(Connection connection) throws SQLException {
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

  private final String displayName;
  private final String kind;
  private final String binaryType;
  private final String lockingRead;

  DatabaseDialect(String displayName, String kind, String binaryType, String lockingRead) {
    this.displayName = displayName;
    this.kind = kind;
    this.binaryType = binaryType;
    this.lockingRead = lockingRead;
  }

  /** @return "SQLite" or "PostgreSQL" */
  public String displayName() {
    return displayName;
  }

  /** @return "sqlite" or "postgresql" */
  public String kind() {
    return kind;
  }

  /** @return the column type for byte strings, {@code BLOB} or {@code BYTEA}; the {@code ${binary}} placeholder */
  public String binaryType() {
    return binaryType;
  }

  /**
   * @return what to append to a SELECT inside {@link SqlDatabase#write} to lock the rows read: {@code " FOR
   *     UPDATE"}, or nothing for SQLite (which already holds the database's write lock)
   */
  public String lockingRead() {
    return lockingRead;
  }

  /**
   * @return the schema the connection works in, or null for SQLite (or a PostgreSQL search path naming no
   *     existing schema)
   */
  public abstract String currentSchema(Connection connection) throws SQLException;

  /** Driver properties for pooled and direct connections. */
  abstract Properties connectionProperties(PoolSettings settings);

  /** Driver properties for the one connection that inspects a database before anything may be written. */
  abstract Properties inspectionProperties(PoolSettings settings);

  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /**
   * Whether writers in this process queue on a Java lock before the database's: SQLite allows one writer, and
   * its busy handler sleeps, so in-process writers are better queued in Java.
   */
  abstract boolean serializesWritesInProcess();
}
