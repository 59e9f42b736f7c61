package dev.aura.store.jdbc;

import dev.aura.spi.AuditLog;
import dev.aura.spi.InstanceRegistry;
import dev.aura.spi.PeerStore;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.TokenLedger;
import dev.aura.spi.UnitOfWork;
import dev.aura.store.jdbc.internal.OpenStores;
import java.nio.file.Path;
import java.time.Instant;
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

  /**
   * @return the registry of running instances: one row per Mothership process on this database (SQLite: one
   *     at most, since a second is refused); heartbeats are standalone writes, outside {@link #unitOfWork()}
   */
  public InstanceRegistry instanceRegistry() {
    return open.instanceRegistry();
  }

  /** @return the change feed: revocations, signing keys, peers, the shared certificate, and announced notices */
  public StoreChangeFeed changeFeed() {
    return open.changeFeed();
  }

  /**
   * Announces a change that no store write carries, through {@link #changeFeed()}: to every process on this
   * PostgreSQL schema (this one included) at once, or in-process on SQLite. For notices that are not durable
   * state ({@link StoreChange.Topic#KICK}) or whose state lives elsewhere (sync events of the event log).
   *
   * @throws JdbcStoreException when the database cannot be reached
   */
  public void announce(StoreChange change) throws JdbcStoreException {
    open.changeFeed().announce(Objects.requireNonNull(change, "change"));
  }

  /**
   * The unit of work of these stores: every call to them made inside {@code inTransaction} on the calling
   * thread commits in one transaction, or is rolled back entirely (see {@link UnitOfWork}).
   *
   * <p>SQLite: group commit. Concurrent units (and plain writes, which are units of one) run one after the
   * other on one connection inside one SQLite transaction, each in a savepoint of its own, so a failing unit
   * rolls back only itself; the transaction commits, with one fsync, when no other unit is waiting, after
   * 64 units or 20 ms, and every caller returns only after that commit. PostgreSQL: one READ COMMITTED
   * transaction on one pooled connection; a deadlock or serialization failure reruns the work (up to 5
   * times), so the work must be repeatable.
   *
   * @return the unit of work
   */
  public UnitOfWork unitOfWork() {
    return open.unitOfWork();
  }

  /**
   * The identity every Mothership on this database shares, if one was stored with {@link #adoptIdentity}.
   *
   * @throws JdbcStoreException {@link JdbcStoreException.Reason#KEY_FILE} when the stored TLS key does not
   *     decrypt with this store's key file, or the store has none
   */
  public Optional<MothershipIdentity> identity() throws JdbcStoreException {
    return open.identityStore().load();
  }

  /**
   * Makes {@code candidate} the shared identity unless one is stored already, atomically across processes;
   * a stored identity without a certificate takes the candidate's. The first of several Motherships
   * starting on one PostgreSQL database therefore creates the identity and every other one adopts it.
   *
   * @return the identity now stored: {@code candidate}, or the one that was there first
   * @throws JdbcStoreException {@link JdbcStoreException.Reason#KEY_FILE} when the TLS key cannot be sealed
   *     or opened with this store's key file
   */
  public MothershipIdentity adoptIdentity(MothershipIdentity candidate) throws JdbcStoreException {
    return open.identityStore().adopt(Objects.requireNonNull(candidate, "candidate"));
  }

  /**
   * Replaces the shared certificate after a rotation and records the one rotated away from, in one
   * transaction; every instance on this database hears {@link StoreChange.Topic#CERTIFICATE} through
   * {@link #changeFeed()} and instances that start later adopt it. Previous certificates whose grace ended by
   * {@code now} are deleted.
   *
   * @param rotated the stored id with the new certificate and key
   * @param previous the certificate rotated away from, with its handover and end of grace
   * @param now the current instant
   * @return false, with nothing written, when the stored certificate is no longer {@code previous}'s: another
   *     instance rotated it first (the row is locked while compared, so of two rotations at once one wins)
   * @throws JdbcStoreException when no identity with that id is stored, or on a database failure
   */
  public boolean replaceCertificate(MothershipIdentity rotated, StoredPreviousCertificate previous, Instant now)
      throws JdbcStoreException {
    return open.identityStore().replaceCertificate(Objects.requireNonNull(rotated, "rotated"),
        Objects.requireNonNull(previous, "previous"), Objects.requireNonNull(now, "now"));
  }

  /**
   * @return the certificates rotated away from whose grace has not ended at {@code now}, oldest first; empty,
   *     not null
   * @throws JdbcStoreException {@link JdbcStoreException.Reason#KEY_FILE} when a stored key does not decrypt
   */
  public java.util.List<StoredPreviousCertificate> previousCertificates(Instant now) throws JdbcStoreException {
    return open.identityStore().previousCertificates(Objects.requireNonNull(now, "now"));
  }

  /**
   * @return SQLite group-commit counters since open: commits, and the units that shared them (zeros for
   *     PostgreSQL)
   */
  public CommitStats commitStats() {
    var stats = open.database().groupCommitStats();
    return new CommitStats(stats.batches(), stats.units());
  }

  /**
   * Group-commit counters of an SQLite store.
   *
   * @param commits transactions committed, each with one fsync
   * @param units units of work and plain writes committed in them; {@code units / commits} shared one fsync
   */
  public record CommitStats(long commits, long units) {}

  /** @return "SQLite" or "PostgreSQL" */
  public String databaseKind() {
    return open.url().dialect().displayName();
  }

  /** @return the database's location, without any password */
  public String location() {
    return open.url().toString();
  }

  /** @return the SQLite database file, empty for PostgreSQL */
  public Optional<Path> sqliteFile() {
    return Optional.ofNullable(open.url().sqliteFile());
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
