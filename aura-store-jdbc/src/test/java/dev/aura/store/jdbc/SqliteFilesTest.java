package dev.aura.store.jdbc;

import static dev.aura.store.jdbc.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.store.jdbc.JdbcStoreException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an SQLite store does with files: modes, pragmas, the key file, what a copy of the files reveals. */
class SqliteFilesTest {
  @TempDir Path dir;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void open_inAMissingDataDirectory_createsDirectoryDatabaseWalShmAndKeyFileOwnerOnly() throws Exception {
    Path dataDir = dir.resolve("mothership");
    Path db = dataDir.resolve("aura.db");
    try (JdbcStores stores = JdbcStores.open("sqlite:" + db)) {
      stores.auditLog().append(Fixtures.used(Fixtures.jti(1), T0));

      assertThat(mode(dataDir)).isEqualTo("rwx------");
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(dataDir.resolve("aura.db-wal"))).isEqualTo("rw-------");
      assertThat(mode(dataDir.resolve("aura.db-shm"))).isEqualTo("rw-------");
      assertThat(mode(dataDir.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME))).isEqualTo("rw-------");
      assertThat(Files.size(dataDir.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME))).isEqualTo(32);
      assertThat(stores.keyFile()).contains(dataDir.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME));
      assertThat(stores.sqliteFile()).contains(db.toAbsolutePath().normalize());
    }
  }

  @Test
  void connections_useWalSynchronousFullBusyTimeoutAndForeignKeys() throws Exception {
    JdbcStoreOptions options = JdbcStoreOptions.builder().busyTimeout(java.time.Duration.ofSeconds(7)).build();
    try (JdbcStores stores = JdbcStores.open(TestDatabases.sqliteUrl(dir), options)) {
      List<String> pragmas = stores.internals().database().read("reading pragmas", c -> {
        try (Statement s = c.createStatement()) {
          return List.of(single(s, "PRAGMA journal_mode"), single(s, "PRAGMA synchronous"),
              single(s, "PRAGMA busy_timeout"), single(s, "PRAGMA foreign_keys"));
        }
      });
      // synchronous 2 is FULL
      assertThat(pragmas).containsExactly("wal", "2", "7000", "1");
    }
  }

  private static String single(Statement s, String sql) throws java.sql.SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void copyOfTheDatabaseFilesWithoutTheKeyFile_doesNotContainThePrivateKey() throws Exception {
    Path db = dir.resolve("aura.db");
    try (JdbcStores stores = JdbcStores.open("sqlite:" + db)) {
      stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0)));
      // While open, the newest pages are in the -wal file: look there too.
      assertThat(contentOf(db) + contentOf(dir.resolve("aura.db-wal"))).contains("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
          .doesNotContain(Fixtures.PRIVATE_D);
    }
    assertThat(contentOf(db)).doesNotContain(Fixtures.PRIVATE_D);
  }

  private static String contentOf(Path file) throws Exception {
    return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : "";
  }

  @Test
  void open_withAKeyFileReadableByOthers_isRefusedNamingTheModeAndTheFix() throws Exception {
    Path keyFile = dir.resolve("signing-key.secret");
    Files.write(keyFile, new byte[32]);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> JdbcStores.open(TestDatabases.sqliteUrl(dir)))
        .isInstanceOfSatisfying(JdbcStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_FILE))
        .hasMessage("signing key file unusable: " + keyFile + " is accessible by group or others"
            + " (mode rw-r--r--); expected owner-only (rw-------): run chmod 600 " + keyFile);
  }

  @Test
  void open_withAnotherKeyFileThanTheDatabaseRecorded_isRefusedNamingBothIds() throws Exception {
    Path other = dir.resolve("other.secret");
    try (JdbcStores stores = JdbcStores.open(TestDatabases.sqliteUrl(dir))) {
      stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0)));
    }
    // Another database creates the other key file.
    JdbcStores.open("sqlite:" + dir.resolve("elsewhere/aura.db"), JdbcStoreOptions.builder().keyFile(other).build())
        .close();

    assertThatThrownBy(() -> JdbcStores.open(TestDatabases.sqliteUrl(dir),
        JdbcStoreOptions.builder().keyFile(other).build()))
        .isInstanceOfSatisfying(JdbcStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_FILE))
        .hasMessageContaining(other + " has key file id ")
        .hasMessageContaining("are encrypted with key file id ")
        .hasMessageContaining("use the key file backed up with this database");
  }

  @Test
  void open_withTheKeyFileMissing_isRefusedAskingToRestoreIt() throws Exception {
    try (JdbcStores stores = JdbcStores.open(TestDatabases.sqliteUrl(dir))) {
      stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0)));
    }
    Files.delete(dir.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME));

    assertThatThrownBy(() -> JdbcStores.open(TestDatabases.sqliteUrl(dir)))
        .isInstanceOfSatisfying(JdbcStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_FILE))
        .hasMessageContaining("does not exist")
        .hasMessageContaining("restore the key file from the backup made with this database");
    assertThat(dir.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME)).doesNotExist();
  }

  @Test
  void databaseAndKeyFileCopiedTogether_openElsewhereWithThePrivateKey() throws Exception {
    Path original = dir.resolve("original");
    try (JdbcStores stores = JdbcStores.open("sqlite:" + original.resolve("aura.db"))) {
      stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0)));
    }
    Path restored = Files.createDirectories(dir.resolve("restored"));
    Files.copy(original.resolve("aura.db"), restored.resolve("aura.db"));
    Files.copy(original.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME),
        restored.resolve(JdbcStores.DEFAULT_KEY_FILE_NAME), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);

    try (JdbcStores stores = JdbcStores.open("sqlite:" + restored.resolve("aura.db"))) {
      assertThat(stores.signingKeyStore().loadAll()).singleElement()
          .satisfies(k -> assertThat(k.privateJwk()).isEqualTo(Fixtures.primaryKey("k1", T0).privateJwk()));
    }
  }
}
