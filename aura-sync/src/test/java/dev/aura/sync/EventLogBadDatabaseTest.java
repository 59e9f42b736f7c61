package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.sync.EventLogException.Reason;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases the event log must refuse, each with a typed reason, a clear message and without changing a
 * byte; and the ones it must accept: a fresh file (created owner-only) and a PostgreSQL schema that already
 * holds the security store's tables.
 */
class EventLogBadDatabaseTest {
  @TempDir Path dir;

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void assertRefused(ThrowingCallable open, Reason reason, String... messageParts) {
    assertThatThrownBy(open).isInstanceOfSatisfying(EventLogException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).startsWith(reason.wording() + ": ").contains(messageParts);
    });
  }

  private static EventLog open(String url) throws EventLogException {
    return EventLog.open(url, EventLogOptions.defaults());
  }

  private static String futureMigrationRow() {
    return "INSERT INTO aura_sync_schema_history (installed_rank, version, description, type, script, checksum,"
        + " installed_by, installed_on, execution_time, success) SELECT installed_rank + 1, '2', 'future',"
        + " type, 'V2__future.sql', checksum, installed_by, installed_on, execution_time, success"
        + " FROM aura_sync_schema_history WHERE version = '1'";
  }

  @Test
  void open_createsTheSqliteFileOwnerOnly() throws Exception {
    Path db = dir.resolve("data/mothership/events.db");

    open("sqlite:" + db).close();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent()))).isEqualTo("rwx------");
  }

  @Test
  void open_onAFileOfGarbage_isRefusedAsCorruptAndTheFileIsUnchanged() throws Exception {
    Path db = dir.resolve("events.db");
    byte[] garbage = new byte[8192];
    new Random(42).nextBytes(garbage);
    Files.write(db, garbage);
    String before = sha256(db);

    assertRefused(() -> open("sqlite:" + db), Reason.CORRUPT, db + " ([SQLITE_NOTADB] ",
        "it is corrupted or some other kind of file. Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
    assertThat(dir.resolve("events.db-wal")).doesNotExist();
  }

  @Test
  void open_onAnSqliteFileWhoseSchemaPageWasOverwritten_isRefusedAsCorruptAndTheFileIsUnchanged()
      throws Exception {
    Path db = dir.resolve("events.db");
    open("sqlite:" + db).close();
    byte[] bytes = Files.readAllBytes(db);
    Arrays.fill(bytes, 100, Math.min(bytes.length, 4096), (byte) 0x5a); // keep the 100-byte header
    Files.write(db, bytes);
    String before = sha256(db);

    assertRefused(() -> open("sqlite:" + db), Reason.CORRUPT, "Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
  }

  @Test
  void open_onSomeoneElsesSqliteDatabase_isRefusedAsForeignAndTheFileIsUnchanged() throws Exception {
    Path db = dir.resolve("crm.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    }
    String before = sha256(db);

    assertRefused(() -> open("sqlite:" + db), Reason.FOREIGN_DATABASE,
        "has 1 table(s) (customers) but no aura_sync_schema_history table", "Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
    assertThat(dir.resolve("crm.db-wal")).doesNotExist();
  }

  @Test
  void open_onAnSqliteLogFromANewerVersion_isRefusedNamingBothVersionsAndTheFileIsUnchanged() throws Exception {
    Path db = dir.resolve("events.db");
    open("sqlite:" + db).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute(futureMigrationRow());
    }
    String before = sha256(db);

    assertRefused(() -> open("sqlite:" + db), Reason.NEWER_SCHEMA,
        "is at event log schema version 2, this version of Aura knows up to 1", "Nothing was changed");
    assertThat(sha256(db)).isEqualTo(before);
  }

  @Test
  void open_whenAnAppliedMigrationWasAltered_isRefusedAsAFailedMigration() throws Exception {
    Path db = dir.resolve("events.db");
    open("sqlite:" + db).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("UPDATE aura_sync_schema_history SET checksum = checksum + 1 WHERE version = '1'");
    }

    assertRefused(() -> open("sqlite:" + db), Reason.MIGRATION_FAILED, "checksum");
  }

  @Test
  void open_withUnsupportedUrls_isRefusedListingTheAcceptedFormsWithoutEchoingSecrets() {
    assertRefused(() -> open("mysql://db/aura?password=hunter2"), Reason.UNSUPPORTED_URL,
        "'mysql://db/aura?...'", "expected sqlite:PATH, postgresql://host[:port]/database");
    assertRefused(() -> open("sqlite::memory:"), Reason.UNSUPPORTED_URL, "in-memory");
    assertRefused(() -> open("sqlite:" + dir), Reason.UNSUPPORTED_URL, "is a directory");
    assertThatThrownBy(() -> open("mysql://db/aura?password=hunter2")).hasMessageNotContaining("hunter2");
  }

  @Test
  void open_onAnUnreachablePostgres_isRefusedNamingTheAddressButNotThePassword() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "postgresql://aura:hunter2@127.0.0.1:" + port + "/aura?password=hunter2&sslmode=disable";

    assertThatThrownBy(() -> open(url))
        .isInstanceOfSatisfying(EventLogException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
        .hasMessageStartingWith("event log database unreachable: cannot connect to postgresql://127.0.0.1:" + port
            + "/aura?sslmode=disable: ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void open_onAPostgresSchemaHoldingOtherAuraTables_createsTheLogBesideThemAndLeavesThemAlone()
      throws Exception {
    try (LogBackend.PostgresSchema schema = new LogBackend.PostgresSchema()) {
      try (Connection c = schema.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE aura_schema_history (installed_rank INT PRIMARY KEY, version TEXT)");
        s.execute("INSERT INTO aura_schema_history VALUES (1, '1')");
        s.execute("CREATE TABLE token_ledger (jti TEXT PRIMARY KEY)");
        s.execute("INSERT INTO token_ledger VALUES ('jti_1')");
      }

      try (EventLog log = open(schema.url())) {
        assertThat(log.databaseKind()).isEqualTo("postgresql");
        assertThat(log.head(EventLogContractTest.WIDGET)).isZero();
      }
      try (EventLog again = open(schema.url())) {
        assertThat(again.heads()).isEmpty();
      }

      try (Connection c = schema.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM token_ledger),"
              + " (SELECT count(*) FROM aura_schema_history)")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
    }
  }

  @Test
  void open_onAPostgresSchemaWithSyncTablesThatAreNotOurs_isRefusedAsForeignAndLeftUntouched() throws Exception {
    try (LogBackend.PostgresSchema schema = new LogBackend.PostgresSchema()) {
      try (Connection c = schema.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE sync_events (id INTEGER PRIMARY KEY)");
      }

      assertRefused(() -> open(schema.url()), Reason.FOREIGN_DATABASE,
          "schema " + schema.name() + " has 1 table(s) (sync_events) but no aura_sync_schema_history");
      try (Connection c = schema.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
              + schema.name() + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void open_onAPostgresLogFromANewerVersion_isRefusedNamingBothVersions() throws Exception {
    try (LogBackend.PostgresSchema schema = new LogBackend.PostgresSchema()) {
      open(schema.url()).close();
      try (Connection c = schema.connect(); Statement s = c.createStatement()) {
        s.execute(futureMigrationRow());
      }

      assertRefused(() -> open(schema.url()), Reason.NEWER_SCHEMA,
          "is at event log schema version 2, this version of Aura knows up to 1");
      try (Connection c = schema.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM aura_sync_schema_history")) {
        rs.next();
        assertThat(rs.getInt(1)).as("untouched").isEqualTo(2);
      }
    }
  }
}
