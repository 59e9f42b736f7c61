package dev.aura.store.jdbc;

import dev.aura.spi.AuditLog;
import dev.aura.spi.PeerStore;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.TokenLedger;
import dev.aura.store.jdbc.internal.OpenStores;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Every Aura storage SPI over one SQLite file or one PostgreSQL database: open it once, hand its stores to
 * the library, close it on shutdown.
 *
 * <pre>{@code
 * // SQLite in the data directory (the default); signing-key.secret is created next to it
 * try (JdbcStores stores = JdbcStores.open("sqlite:" + dataDir.resolve("aura.db"))) {
 *   TokenLedger ledger = stores.tokenLedger();
 *   ...
 * }
 *
 * // PostgreSQL shared by several Motherships; every process needs the same key file
 * JdbcStores shared = JdbcStores.open("postgresql://db.internal:5432/aura?user=aura",
 *     JdbcStoreOptions.builder().keyFile(Path.of("/etc/aura/signing-key.secret")).build());
 * }</pre>
 *
 * <p>URLs: {@code sqlite:PATH}, {@code jdbc:sqlite:PATH}, {@code postgresql://[user[:password]@]host[:port]/db[?params]}
 * (or {@code postgres://}), {@code jdbc:postgresql://...}. PostgreSQL parameters go to the driver; use
 * {@code currentSchema=NAME} to keep the tables in a schema of your choice (it must exist). Passwords are
 * taken out of the URL and never appear in messages or logs.
 *
 * <p>On open the schema is migrated to this version (Flyway, history table {@code aura_schema_history}). A
 * database with other tables and no history table, from a newer version of Aura, or (SQLite) a file that is
 * not a database is refused with a {@link JdbcStoreException} and left untouched.
 *
 * <p><b>Threads:</b> the stores are safe for concurrent use. A PostgreSQL store owns one daemon thread,
 * {@code aura-store-listener-...}, holding one extra connection that {@code LISTEN}s for changes made by
 * any process on the same schema and delivers them to {@link #changeFeed()} subscribers; an SQLite store
 * delivers its own changes in-process, on the writing thread after the commit, and does not hear other
 * processes. The connection pool (HikariCP) runs its own housekeeping thread. {@link #close()} stops them.
 *
 * <p><b>Warning:</b> private signing keys are stored encrypted with the key file (AES-256-GCM), so a backup
 * must contain the database and the key file together: the database alone cannot sign, the key file alone
 * holds no signing key. Keep the key file owner-only; a group- or world-readable one is refused.
 */
public final class JdbcStores implements AutoCloseable {
  /** The key file's name next to an SQLite database when {@link JdbcStoreOptions#keyFile()} is not given. */
  public static final String DEFAULT_KEY_FILE_NAME = OpenStores.DEFAULT_KEY_FILE_NAME;

  private final OpenStores open;

  private JdbcStores(OpenStores open) {
    this.open = open;
  }

  /**
   * Opens a store with the default options.
   *
   * @param url {@code sqlite:PATH}, {@code postgresql://...} or a JDBC URL for either
   * @throws JdbcStoreException if the URL is unsupported, the database unreachable, corrupted, foreign or
   *     newer, the migration failed or the key file is unusable
   */
  public static JdbcStores open(String url) throws JdbcStoreException {
    return open(url, JdbcStoreOptions.defaults());
  }

  /**
   * Opens a store.
   *
   * @param url {@code sqlite:PATH}, {@code postgresql://...} or a JDBC URL for either
   * @param options key file, timeouts, pool size
   * @throws JdbcStoreException if the URL is unsupported, the database unreachable, corrupted, foreign or
   *     newer, the migration failed or the key file is unusable
   */
  public static JdbcStores open(String url, JdbcStoreOptions options) throws JdbcStoreException {
    Objects.requireNonNull(options, "options");
    return new JdbcStores(OpenStores.open(url, options));
  }

  /** @return the token ledger */
  public TokenLedger tokenLedger() {
    return open.tokenLedger();
  }

  /** @return the revocation store */
  public RevocationStore revocationStore() {
    return open.revocationStore();
  }

  /** @return the hash-chained audit log */
  public AuditLog auditLog() {
    return open.auditLog();
  }

  /** @return the signing-key store (private keys encrypted with the key file) */
  public SigningKeyStore signingKeyStore() {
    return open.signingKeyStore();
  }

  /** @return the peer store */
  public PeerStore peerStore() {
    return open.peerStore();
  }

  /** @return the refresh-credential store */
  public RefreshCredentialStore refreshCredentialStore() {
    return open.refreshCredentialStore();
  }

  /** @return the change feed: revocations, signing keys and peers */
  public StoreChangeFeed changeFeed() {
    return open.changeFeed();
  }

  /** @return "SQLite" or "PostgreSQL" */
  public String databaseKind() {
    return open.url().dialect().displayName();
  }

  /** @return the database's location, without any password */
  public String location() {
    return open.url().toString();
  }

  /** @return the key file sealing private signing keys, if the store has one */
  public Optional<Path> keyFile() {
    return Optional.ofNullable(open.keyFilePath());
  }

  /** Internal access for this module's tests. */
  OpenStores internals() {
    return open;
  }

  /** Stops the listener thread (PostgreSQL) and closes every connection. Idempotent. */
  @Override
  public void close() {
    open.close();
  }

  @Override
  public String toString() {
    return "JdbcStores[" + location() + "]";
  }
}
