package dev.aura.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.store.jdbc.JdbcStoreException.Reason;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases a store must refuse, each with a clear message and without changing a byte: a corrupted SQLite
 * file, someone else's database, one from a newer version, an unreachable server, an unsupported URL.
 */
class BadDatabaseTest {
  @TempDir Path dir;

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void assertRefused(ThrowingCallable open, Reason reason, String... messageParts) {
    assertThatThrownBy(open)
        .isInstanceOfSatisfying(JdbcStoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).startsWith(reason.wording() + ": ").contains(messageParts);
        });
  }

  @Test
  void open_onAFileOfGarbage_isRefusedAsNotADatabaseAndTheFileIsUnchanged() throws Exception {
    Path db = dir.resolve("aura.db");
    byte[] garbage = new byte[8192];
    new Random(42).nextBytes(garbage);
    Files.write(db, garbage);
    String before = sha256(db);

    assertRefused(() -> JdbcStores.open("sqlite:" + db), Reason.NOT_A_DATABASE,
        db + " ([SQLITE_NOTADB] ", "): it is corrupted or some other kind of file. Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
  }

  @Test
  void open_onAnSqliteFileWhoseSchemaPageWasOverwritten_isRefusedAndTheFileIsUnchanged() throws Exception {
    Path db = dir.resolve("aura.db");
    JdbcStores.open("sqlite:" + db).close();
    byte[] bytes = Files.readAllBytes(db);
    // Keep the 100-byte header ("SQLite format 3"), overwrite the rest of page 1 (the schema).
    java.util.Arrays.fill(bytes, 100, Math.min(bytes.length, 4096), (byte) 0x5a);
    Files.write(db, bytes);
    String before = sha256(db);

    assertRefused(() -> JdbcStores.open("sqlite:" + db), Reason.NOT_A_DATABASE,
        db + " ([SQLITE_CORRUPT] ", "Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
  }

  @Test
  void open_onSomeoneElsesSqliteDatabase_isRefusedAsForeignNamingItsTablesAndTheFileIsUnchanged()
      throws Exception {
    Path db = dir.resolve("crm.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
      s.execute("INSERT INTO customers (name) VALUES ('ACME')");
    }
    String before = sha256(db);

    assertRefused(() -> JdbcStores.open("sqlite:" + db), Reason.FOREIGN_DATABASE,
        "has 1 table(s) (customers) but no aura_schema_history table", "Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
    assertThat(dir.resolve("crm.db-wal")).doesNotExist();
  }

  @Test
  void open_onADatabaseFromANewerVersion_isRefusedNamingBothVersionsAndTheFileIsUnchanged() throws Exception {
    Path db = dir.resolve("aura.db");
    JdbcStores.open("sqlite:" + db).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute(futureMigrationRow());
    }
    String before = sha256(db);

    assertRefused(() -> JdbcStores.open("sqlite:" + db), Reason.NEWER_SCHEMA,
        "is at schema version 7, this version of Aura knows up to 6", "Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
  }

  private static String futureMigrationRow() {
    return "INSERT INTO aura_schema_history (installed_rank, version, description, type, script, checksum,"
        + " installed_by, installed_on, execution_time, success) SELECT (SELECT max(installed_rank) + 1"
        + " FROM aura_schema_history), '7', 'future',"
        + " type, 'V7__future.sql', checksum, installed_by, installed_on, execution_time, success"
        + " FROM aura_schema_history WHERE version = '1'";
  }

  @Test
  void open_whenAnAppliedMigrationWasAltered_isRefusedAsAFailedMigration() throws Exception {
    Path db = dir.resolve("aura.db");
    JdbcStores.open("sqlite:" + db).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("UPDATE aura_schema_history SET checksum = checksum + 1 WHERE version = '1'");
    }

    assertRefused(() -> JdbcStores.open("sqlite:" + db), Reason.MIGRATION_FAILED, "checksum");
  }

  @Test
  void open_onAnUnreachablePostgres_isRefusedQuicklyNamingTheAddressButNotThePassword() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    JdbcStoreOptions options = JdbcStoreOptions.builder().connectTimeout(Duration.ofSeconds(2)).build();
    String url = "postgresql://aura:hunter2@127.0.0.1:" + port + "/aura?password=hunter2&sslmode=disable";

    assertThatThrownBy(() -> JdbcStores.open(url, options))
        .isInstanceOfSatisfying(JdbcStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
        .hasMessageStartingWith("database unreachable: cannot connect to postgresql://127.0.0.1:" + port
            + "/aura?sslmode=disable: ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void open_withUnsupportedUrls_isRefusedListingTheAcceptedForms() {
    assertRefused(() -> JdbcStores.open("mysql://db/aura?password=hunter2"), Reason.UNSUPPORTED_URL,
        "'mysql://db/aura?...'", "expected sqlite:PATH, postgresql://host[:port]/database");
    assertRefused(() -> JdbcStores.open("sqlite::memory:"), Reason.UNSUPPORTED_URL, "in-memory");
    assertRefused(() -> JdbcStores.open("sqlite:" + dir), Reason.UNSUPPORTED_URL, "is a directory");
  }

  @Test
  void open_onSomeoneElsesPostgresSchema_isRefusedAsForeignAndTheirTableIsUntouched() throws Exception {
    try (TestDatabases.PostgresSchema schema = new TestDatabases.PostgresSchema()) {
      try (Connection c = schema.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
      }

      assertRefused(() -> JdbcStores.open(schema.url()), Reason.FOREIGN_DATABASE,
          "schema " + schema.name() + " has 1 table(s) (invoices)");
      try (Connection c = schema.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
              + schema.name() + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void open_onAPostgresSchemaFromANewerVersion_isRefusedNamingBothVersions() throws Exception {
    try (TestDatabases.PostgresSchema schema = new TestDatabases.PostgresSchema()) {
      JdbcStores.open(schema.url()).close();
      try (Connection c = schema.connect(); Statement s = c.createStatement()) {
        s.execute(futureMigrationRow());
      }

      assertRefused(() -> JdbcStores.open(schema.url()), Reason.NEWER_SCHEMA,
          "is at schema version 7, this version of Aura knows up to 6");
    }
  }
}
