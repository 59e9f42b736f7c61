package dev.aura.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** One test database that tests open stores on (several independent ones, if they like) and tamper with. */
interface Backend extends AutoCloseable {
  /** @return the store URL */
  String url();

  /** @return the options every store of this backend opens with (same key file) */
  JdbcStoreOptions options();

  /** Opens a new, independent store on the database. */
  default JdbcStores open() throws JdbcStoreException {
    return JdbcStores.open(url(), options());
  }

  /** @return a plain JDBC connection, for editing rows behind the store's back */
  Connection connect() throws SQLException;

  @Override
  void close() throws SQLException;

  /** An SQLite file in a directory the test owns. */
  static Backend sqlite(Path dir) {
    return new Backend() {
      @Override
      public String url() {
        return TestDatabases.sqliteUrl(dir);
      }

      @Override
      public JdbcStoreOptions options() {
        return JdbcStoreOptions.defaults();
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("aura.db"));
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "SQLite";
      }
    };
  }

  /** A fresh schema on the test PostgreSQL (skips the test if there is none), dropped on close. */
  static Backend postgres(Path dir) throws Exception {
    TestDatabases.PostgresSchema schema = new TestDatabases.PostgresSchema();
    Path keyFile = Files.createDirectories(dir).resolve("signing-key.secret");
    return new Backend() {
      @Override
      public String url() {
        return schema.url();
      }

      @Override
      public JdbcStoreOptions options() {
        return JdbcStoreOptions.builder().keyFile(keyFile).build();
      }

      @Override
      public Connection connect() throws SQLException {
        return schema.connect();
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
}
