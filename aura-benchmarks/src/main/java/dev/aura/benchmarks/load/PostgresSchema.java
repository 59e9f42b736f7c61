package dev.aura.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A schema of its own on a PostgreSQL, for one measurement: created empty, handed to a {@link LoadServer} as
 * its {@code [store]} (with a key file in a 0700 temporary directory), dropped on close.
 */
final class PostgresSchema implements AutoCloseable {
  private final String baseUrl;
  private final String name;
  private final Path keyDir;

  private PostgresSchema(String baseUrl, String name, Path keyDir) {
    this.baseUrl = baseUrl;
    this.name = name;
    this.keyDir = keyDir;
  }

  static PostgresSchema create(String baseUrl) throws SQLException {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String name = "aura_load_" + HexFormat.of().formatHex(random);
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    try {
      return new PostgresSchema(baseUrl, name, Files.createTempDirectory("aura-load-key-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the {@code [store]} section that puts a Mothership in this schema */
  String storeToml() {
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    return "[store]\nurl = \"" + url + "\"\nkey_file = \"" + keyDir.resolve("signing-key.secret") + "\"\n";
  }

  @Override
  public void close() throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    } finally {
      Files.deleteIfExists(keyDir.resolve("signing-key.secret"));
      Files.deleteIfExists(keyDir);
    }
  }
}
