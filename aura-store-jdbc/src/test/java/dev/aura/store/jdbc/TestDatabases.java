package dev.aura.store.jdbc;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/** Where tests find their databases: a temp-dir SQLite file, or a fresh schema on the test PostgreSQL. */
final class TestDatabases {
  /** The environment variable naming the test PostgreSQL, a JDBC URL. */
  public static final String POSTGRES_ENV = "AURA_TEST_POSTGRES_URL";
  private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestDatabases() {}

  /** @return the test PostgreSQL URL; skips the calling test (with a message) when it is not set */
  public static String postgresUrlOrSkip() {
    String url = System.getenv(POSTGRES_ENV);
    String message = "PostgreSQL tests skipped: " + POSTGRES_ENV + " is not set (for example"
        + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";
    if ((url == null || url.isBlank()) && SKIP_ANNOUNCED.compareAndSet(false, true)) {
      System.err.println(message);
    }
    Assumptions.assumeTrue(url != null && !url.isBlank(), message);
    return url;
  }

  /** @return the URL of an SQLite database file in {@code dir} */
  public static String sqliteUrl(Path dir) {
    return "sqlite:" + dir.resolve("aura.db");
  }

  /** A schema of its own on the test PostgreSQL, dropped on close. */
  public static final class PostgresSchema implements AutoCloseable {
    private final String baseUrl;
    private final String name;

    /** Creates {@code aura_t_<random>}; skips the calling test when no PostgreSQL is configured. */
    public PostgresSchema() throws SQLException {
      this.baseUrl = postgresUrlOrSkip();
      byte[] random = new byte[6];
      RANDOM.nextBytes(random);
      this.name = "aura_t_" + HexFormat.of().formatHex(random);
      try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + name);
      }
    }

    /** @return the store URL that works in this schema */
    public String url() {
      return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /** @return the schema's name */
    public String name() {
      return name;
    }

    /** @return a plain connection working in this schema, for tampering and inspection */
    public Connection connect() throws SQLException {
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
