package dev.aura.store.jdbc.internal;

import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.store.jdbc.JdbcStoreOptions;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.store.jdbc.database.DatabaseUrl;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Opens a database and wires every store over it. Order: {@link SqlDatabase#open} (parse the URL; for SQLite
 * create the file owner-only if it is missing; inspect without writing (corrupted, foreign, newer: refused
 * there, untouched); start the pool; migrate); resolve the key file; for PostgreSQL start the listener.
 */
public final class OpenStores implements AutoCloseable {
  /** The key file's name next to an SQLite database when none is given. */
  public static final String DEFAULT_KEY_FILE_NAME = "signing-key.secret";
  private static final String KEY_FILE_ID = "key_file_id";
  /** Opening one SQLite file twice at once in this JVM would race on the first migration. */
  private static final ConcurrentMap<Path, Object> SQLITE_OPEN_LOCKS = new ConcurrentHashMap<>();

  private final DatabaseUrl url;
  private final SqlDatabase<JdbcStoreException> database;
  private final JdbcChangeFeed feed;
  private final PgListener listener;
  private final KeyFile keyFile;
  private final JdbcTokenLedger tokenLedger;
  private final JdbcRevocationStore revocationStore;
  private final JdbcAuditLog auditLog;
  private final JdbcSigningKeyStore signingKeyStore;
  private final JdbcPeerStore peerStore;
  private final JdbcRefreshCredentialStore refreshCredentialStore;
  private final JdbcUnitOfWork unitOfWork;
  private final JdbcIdentityStore identityStore;
  private final JdbcInstanceRegistry instanceRegistry;

  private OpenStores(DatabaseUrl url, SqlDatabase<JdbcStoreException> database, JdbcChangeFeed feed,
      PgListener listener, KeyFile keyFile) {
    this.url = url;
    this.database = database;
    this.feed = feed;
    this.listener = listener;
    this.keyFile = keyFile;
    this.tokenLedger = new JdbcTokenLedger(database);
    this.revocationStore = new JdbcRevocationStore(database, feed);
    this.auditLog = new JdbcAuditLog(database);
    this.signingKeyStore = new JdbcSigningKeyStore(database, keyFile, feed);
    this.peerStore = new JdbcPeerStore(database, feed);
    this.refreshCredentialStore = new JdbcRefreshCredentialStore(database);
    this.unitOfWork = new JdbcUnitOfWork(database);
    this.identityStore = new JdbcIdentityStore(database, keyFile, feed);
    this.instanceRegistry = new JdbcInstanceRegistry(database);
  }

  /** Opens the stores; see the class comment for the order of checks. */
  public static OpenStores open(String rawUrl, JdbcStoreOptions options) throws JdbcStoreException {
    DatabaseUrl url = DatabaseUrl.parse(rawUrl, StoreSchema.FAILURES);
    if (url.dialect() == DatabaseDialect.SQLITE) {
      // Held until the key file is settled too, not only around the migration.
      synchronized (SQLITE_OPEN_LOCKS.computeIfAbsent(url.sqliteFile(), p -> new Object())) {
        return openDatabase(rawUrl, url, options);
      }
    }
    return openDatabase(rawUrl, url, options);
  }

  private static OpenStores openDatabase(String rawUrl, DatabaseUrl url, JdbcStoreOptions options)
      throws JdbcStoreException {
    SqlDatabase<JdbcStoreException> database = SqlDatabase.open(rawUrl, StoreSchema.DEFINITION,
        StoreSchema.poolSettings(options), StoreSchema.FAILURES);
    PgListener listener = null;
    try {
      KeyFile keyFile = resolveKeyFile(database, keyFilePath(url, options));
      JdbcChangeFeed feed = new JdbcChangeFeed(database);
      if (url.dialect() == DatabaseDialect.POSTGRESQL) {
        listener = PgListener.start(database, feed);
      }
      return new OpenStores(url, database, feed, listener, keyFile);
    } catch (JdbcStoreException | RuntimeException e) {
      if (listener != null) {
        listener.close();
      }
      database.close();
      throw e;
    }
  }

  private static Path keyFilePath(DatabaseUrl url, JdbcStoreOptions options) {
    if (options.keyFile() != null) {
      return options.keyFile().toAbsolutePath().normalize();
    }
    return url.dialect() == DatabaseDialect.SQLITE ? url.sqliteFile().resolveSibling(DEFAULT_KEY_FILE_NAME) : null;
  }

  /**
   * Loads the key file, or creates it when the database has recorded none; records its id, and refuses a
   * key file other than the one recorded (or a missing one) with a message saying what to restore.
   */
  private static KeyFile resolveKeyFile(SqlDatabase<JdbcStoreException> database, Path path)
      throws JdbcStoreException {
    if (path == null) {
      return null;
    }
    return database.write("checking the signing key file", c -> {
      String recorded = recordedKeyFileId(c);
      KeyFile file;
      if (Files.exists(path)) {
        file = KeyFile.load(path);
      } else if (recorded != null) {
        throw new JdbcStoreException(Reason.KEY_FILE, path + " does not exist, but the signing keys in "
            + database.url() + " are encrypted with key file id " + recorded
            + "; restore the key file from the backup made with this database");
      } else {
        file = KeyFile.create(path);
      }
      if (recorded == null) {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO aura_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
          s.setString(1, KEY_FILE_ID);
          s.setString(2, file.id());
          s.executeUpdate();
        }
        recorded = recordedKeyFileId(c);
      }
      if (!file.id().equals(recorded)) {
        throw new JdbcStoreException(Reason.KEY_FILE, path + " has key file id " + file.id() + ", but the"
            + " signing keys in " + database.url() + " are encrypted with key file id " + recorded
            + "; use the key file backed up with this database");
      }
      return file;
    });
  }

  private static String recordedKeyFileId(java.sql.Connection c) throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT value FROM aura_settings WHERE name = ?")) {
      s.setString(1, KEY_FILE_ID);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** @return the parsed URL */
  public DatabaseUrl url() {
    return url;
  }

  /** @return the pool */
  public SqlDatabase<JdbcStoreException> database() {
    return database;
  }

  /** @return the change feed */
  public JdbcChangeFeed changeFeed() {
    return feed;
  }

  /** @return the token ledger */
  public JdbcTokenLedger tokenLedger() {
    return tokenLedger;
  }

  /** @return the revocation store */
  public JdbcRevocationStore revocationStore() {
    return revocationStore;
  }

  /** @return the audit log */
  public JdbcAuditLog auditLog() {
    return auditLog;
  }

  /** @return the signing-key store */
  public JdbcSigningKeyStore signingKeyStore() {
    return signingKeyStore;
  }

  /** @return the peer store */
  public JdbcPeerStore peerStore() {
    return peerStore;
  }

  /** @return the refresh-credential store */
  public JdbcRefreshCredentialStore refreshCredentialStore() {
    return refreshCredentialStore;
  }

  /** @return the unit of work every store above joins */
  public JdbcUnitOfWork unitOfWork() {
    return unitOfWork;
  }

  /** @return the shared Mothership identity */
  public JdbcIdentityStore identityStore() {
    return identityStore;
  }

  /** @return the instance registry */
  public JdbcInstanceRegistry instanceRegistry() {
    return instanceRegistry;
  }

  /** @return the key file in use, or null */
  public Path keyFilePath() {
    return keyFile == null ? null : keyFile.path();
  }

  /** @return whether the PostgreSQL listener thread is running (false for SQLite) */
  public boolean listenerRunning() {
    return listener != null && listener.isRunning();
  }

  /** Stops the listener, then closes the pool. */
  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
    database.close();
  }
}
