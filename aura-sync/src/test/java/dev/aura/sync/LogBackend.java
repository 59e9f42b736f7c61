package dev.aura.sync;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/** One test database for event logs: an SQLite file in a temp dir, or a fresh schema on the test PostgreSQL. */
interface LogBackend extends AutoCloseable {
  /** The environment variable naming the test PostgreSQL, a JDBC URL. */
  String POSTGRES_ENV = "AURA_TEST_POSTGRES_URL";

  /** @return the event log URL */
  String url();

  /** @return a plain JDBC connection, for inspecting and editing rows behind the log's back */
  Connection connect() throws SQLException;

  /**
   * Takes the lock an append of {@code workspace} needs (SQLite: the database write lock; PostgreSQL: the
   * workspace head row, which must exist) and holds it until closed, so that appends queue up.
   */
  HeldLock holdAppendLock(String workspace) throws SQLException;

  @Override
  void close() throws SQLException;

  /** A lock held on a connection of its own. */
  interface HeldLock extends AutoCloseable {
    @Override
    void close() throws SQLException;
  }

  static LogBackend sqlite(Path dir) {
    Path file = dir.resolve("events.db");
    return new LogBackend() {
      @Override
      public String url() {
        return "sqlite:" + file;
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
      }

      @Override
      public HeldLock holdAppendLock(String workspace) throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
          s.execute("BEGIN IMMEDIATE");
        }
        return () -> {
          try (c; Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
          }
        };
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "SQLite";
      }
    };
  }

  /** A fresh schema on the test PostgreSQL (skips the test, with a message, if there is none), dropped on close. */
  static LogBackend postgres() throws SQLException {
    PostgresSchema schema = new PostgresSchema();
    return new LogBackend() {
      @Override
      public String url() {
        return schema.url();
      }

      @Override
      public Connection connect() throws SQLException {
        return schema.connect();
      }

      @Override
      public HeldLock holdAppendLock(String workspace) throws SQLException {
        Connection c = connect();
        c.setAutoCommit(false);
        try (java.sql.PreparedStatement s = c.prepareStatement(
            "SELECT head_seq FROM sync_workspace_heads WHERE workspace = ? FOR UPDATE")) {
          s.setString(1, workspace);
          try (java.sql.ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
              throw new IllegalStateException("append to " + workspace + " once before locking it");
            }
          }
        }
        return () -> {
          try (c) {
            c.rollback();
          }
        };
      }

      @Override
      public void close() throws SQLException {
        schema.close();
      }

      @Override
      public String toString() {
        return "PostgreSQL";
      }
    };
  }

  /** @return the test PostgreSQL URL; skips the calling test (with a message) when it is not set */
  static String postgresUrlOrSkip() {
    String url = System.getenv(POSTGRES_ENV);
    String message = "PostgreSQL tests skipped: " + POSTGRES_ENV + " is not set (for example"
        + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";
    if ((url == null || url.isBlank()) && PostgresSchema.SKIP_ANNOUNCED.compareAndSet(false, true)) {
      System.err.println(message);
    }
    Assumptions.assumeTrue(url != null && !url.isBlank(), message);
    return url;
  }

  /** A schema of its own on the test PostgreSQL, {@code aura_sync_t_<random>}, dropped on close. */
  final class PostgresSchema implements AutoCloseable {
    static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String baseUrl;
    private final String name;

    PostgresSchema() throws SQLException {
      this.baseUrl = postgresUrlOrSkip();
      byte[] random = new byte[6];
      RANDOM.nextBytes(random);
      this.name = "aura_sync_t_" + HexFormat.of().formatHex(random);
      try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + name);
      }
    }

    String url() {
      return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    String name() {
      return name;
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(url());
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
  }
}
