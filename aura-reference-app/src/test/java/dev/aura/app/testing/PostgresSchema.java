package dev.aura.app.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema on the test PostgreSQL ({@code AURA_TEST_POSTGRES_URL}), dropped on close; the test is
 * skipped, with a message, when the variable is not set.
 *
 * <pre>{@code
 * try (PostgresSchema schema = PostgresSchema.create("aura_shared_")) {
 *   String storeUrl = schema.url();
 * }
 * }</pre>
 */
public final class PostgresSchema implements AutoCloseable {
  private final String base;
  private final String name;

  private PostgresSchema(String base, String name) {
    this.base = base;
    this.name = name;
  }

  /** Creates {@code prefix} + 12 random hex digits, or skips the test without a PostgreSQL. */
  public static PostgresSchema create(String prefix) throws SQLException {
    String base = System.getenv("AURA_TEST_POSTGRES_URL");
    assumeTrue(base != null && !base.isBlank(), "AURA_TEST_POSTGRES_URL is not set: no PostgreSQL to test against");
    String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection db = DriverManager.getConnection(base); Statement s = db.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return new PostgresSchema(base, name);
  }

  /** @return the JDBC URL with {@code currentSchema} set to this schema */
  public String url() {
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  /** @return a plain connection to this schema */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  @Override
  public void close() throws SQLException {
    try (Connection db = DriverManager.getConnection(base); Statement s = db.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }
}
