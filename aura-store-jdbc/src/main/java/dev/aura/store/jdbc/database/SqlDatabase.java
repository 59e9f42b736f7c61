package dev.aura.store.jdbc.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aura.store.jdbc.internal.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * An opened, migrated SQLite or PostgreSQL database with its connection pool: the one way Aura's JDBC stores
 * and the Mothership's event log open a database and talk to it.
 *
 * <p>{@link #open} parses the URL ({@link DatabaseUrl}); for SQLite creates a missing file empty and owner-only
 * (0600, missing parent directories 0700) before the driver sees it, so that SQLite, which gives its
 * {@code -wal} and {@code -shm} files the database file's mode, never creates anything others can read;
 * inspects the database over one direct connection that writes nothing (not an SQLite file, foreign tables,
 * a newer schema: refused, the database left untouched); starts the pool (SQLite: WAL,
 * {@code synchronous=FULL}, {@code busy_timeout}); and runs Flyway with the {@link SchemaDefinition}'s
 * history table and migration files. Every failure is the caller's own exception, made by its
 * {@link FailureFactory}; messages name the database by its redacted location, never a password.
 *
 * <pre>{@code
 * SqlDatabase<EventLogException> db = SqlDatabase.open("sqlite:" + dir.resolve("events.db"), EVENT_LOG,
 *     new PoolSettings("aura-sync-", "aura-sync", Duration.ofSeconds(10), Duration.ofSeconds(10), 4),
 *     (failure, detail, cause) -> new EventLogException(reasonOf(failure), detail, cause));
 * long head = db.read("reading the head", c -> ...);
 * db.write("appending", c -> ...);   // one transaction, committed before it returns
 * db.close();
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use; every call takes its own pooled connection, except inside a unit
 * of work ({@link #inUnit}), where every call of the thread joins the unit's transaction. On SQLite, writes
 * of one {@code SqlDatabase} go through group commit (see {@link #inUnit}; a plain {@link #write} is a unit
 * of one): one writer connection, concurrent writers sharing one commit and one fsync; other processes wait
 * up to the busy timeout. Opens of one SQLite file in this JVM are serialized.
 *
 * <p><b>Warning:</b> {@link #write} retries a PostgreSQL serialization failure or deadlock, so its work must
 * be repeatable (no side effects outside the transaction). Never hand a connection to another thread or keep
 * it after the work returns.
 *
 * @param <X> the exception the caller's API declares, made by its {@link FailureFactory}
 */
public final class SqlDatabase<X extends Exception> implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final int MAX_ATTEMPTS = 5;
  /** Opening one SQLite file twice at once in this JVM would race on the first migration. */
  private static final ConcurrentMap<Path, Object> SQLITE_OPEN_LOCKS = new ConcurrentHashMap<>();

  private final DatabaseUrl url;
  private final PoolSettings settings;
  private final FailureFactory<X> failures;
  private final String schema;
  private final HikariDataSource pool;
  private final GroupCommit<X> groupCommit;
  /** The unit of work the calling thread is in, if any: every call of this thread joins its transaction. */
  private final ThreadLocal<Transaction<X>> bound = new ThreadLocal<>();
  private volatile boolean closed;

  /**
   * A unit of work on one connection.
   *
   * @param <T> the result
   * @param <X> the caller's exception
   */
  @FunctionalInterface
  public interface Work<T, X extends Exception> {
    /** Runs on a connection in a transaction for {@link #write}, in auto-commit for {@link #read}. */
    T run(Connection connection) throws SQLException, X;
  }

  /**
   * The body of a unit of work ({@link #inUnit}): it calls {@link #read} and {@link #write} (through the
   * stores), which join the unit's transaction.
   *
   * @param <T> the result
   * @param <E> what the body may throw besides the caller's exception
   */
  @FunctionalInterface
  public interface Unit<T, E extends Exception> {
    /** Runs with the unit's transaction bound to the calling thread. */
    T run() throws E;
  }

  private SqlDatabase(DatabaseUrl url, PoolSettings settings, FailureFactory<X> failures, String schema,
      HikariDataSource pool) {
    this.url = url;
    this.settings = settings;
    this.failures = failures;
    this.schema = schema;
    this.pool = pool;
    this.groupCommit = url.dialect().serializesWritesInProcess() ? new GroupCommit<>(this) : null;
  }

  /**
   * Opens and migrates a database; see the class comment for the order of checks.
   *
   * @param url {@code sqlite:PATH}, {@code postgresql://...} or their JDBC forms ({@link DatabaseUrl})
   * @param definition the schema: history table, migration files, what counts as ours
   * @param settings pool and connection settings
   * @param failures makes the caller's exception for every failure
   * @param <X> the caller's exception
   * @return the open, migrated database; the caller closes it
   * @throws X made by {@code failures}: {@link DatabaseFailure#UNSUPPORTED_URL}, {@code UNREACHABLE},
   *     {@code NOT_A_DATABASE}, {@code FOREIGN_DATABASE}, {@code NEW_SCHEMA}, {@code MIGRATION_FAILED} or
   *     {@code OPERATION_FAILED}
   */
  public static <X extends Exception> SqlDatabase<X> open(String url, SchemaDefinition definition,
      PoolSettings settings, FailureFactory<X> failures) throws X {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(failures, "failures");
    DatabaseUrl parsed = DatabaseUrl.parse(url, failures);
    if (parsed.dialect() == DatabaseDialect.SQLITE) {
      synchronized (SQLITE_OPEN_LOCKS.computeIfAbsent(parsed.sqliteFile(), p -> new Object())) {
        createSqliteFile(parsed.sqliteFile(), definition, failures);
        return openInspected(parsed, definition, settings, failures);
      }
    }
    return openInspected(parsed, definition, settings, failures);
  }

  private static <X extends Exception> SqlDatabase<X> openInspected(DatabaseUrl url, SchemaDefinition definition,
      PoolSettings settings, FailureFactory<X> failures) throws X {
    SchemaMigrations.Inspection inspection = SchemaMigrations.inspect(url, definition, settings, failures);
    SqlDatabase<X> database = start(url, settings, failures, inspection.schema());
    try {
      SchemaMigrations.migrate(database.pool, url, definition, inspection, failures);
      return database;
    } catch (Exception | Error e) {
      database.close();
      throw e;
    }
  }

  private static <X extends Exception> void createSqliteFile(Path file, SchemaDefinition definition,
      FailureFactory<X> failures) throws X {
    if (Files.isDirectory(file)) {
      throw failures.create(DatabaseFailure.UNSUPPORTED_URL, file + " is a directory, expected a database file",
          null);
    }
    try {
      if (!OwnerOnlyFiles.createIfMissing(file) && definition.sharedFileWarning() != null) {
        OwnerOnlyFiles.warnIfShared(file, definition.sharedFileWarning());
      }
    } catch (IOException e) {
      throw failures.create(DatabaseFailure.OPERATION_FAILED, "cannot create the " + definition.fileNoun() + " "
          + file + ": " + e.getMessage(), e);
    }
  }

  /** Opens a direct, unpooled connection that changes nothing, for inspecting a database before use. */
  static Connection inspectionConnection(DatabaseUrl url, PoolSettings settings) throws SQLException {
    Properties properties = url.dialect().inspectionProperties(settings);
    properties.putAll(url.secretProperties());
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  private static <X extends Exception> SqlDatabase<X> start(DatabaseUrl url, PoolSettings settings,
      FailureFactory<X> failures, String schema) throws X {
    HikariConfig config = new HikariConfig();
    config.setPoolName(settings.poolNamePrefix() + POOLS.incrementAndGet());
    config.setJdbcUrl(url.jdbcUrl());
    Properties properties = url.dialect().connectionProperties(settings);
    properties.putAll(url.secretProperties());
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(settings.connectTimeout().toMillis());
    config.setValidationTimeout(Math.min(settings.connectTimeout().toMillis(), 5_000));
    try {
      return new SqlDatabase<>(url, settings, failures, schema, new HikariDataSource(config));
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
      throw failures.create(DatabaseFailure.UNREACHABLE, "cannot connect to " + url + ": " + summary(cause), e);
    }
  }

  /** @return the dialect */
  public DatabaseDialect dialect() {
    return url.dialect();
  }

  /** @return the parsed URL; its {@code toString()} is the redacted location, for messages */
  public DatabaseUrl url() {
    return url;
  }

  /** @return the PostgreSQL schema the database works in, or null for SQLite */
  public String schema() {
    return schema;
  }

  DataSource dataSource() {
    return pool;
  }

  /**
   * Opens a dedicated connection outside the pool, with the pool's connection properties (for example a
   * PostgreSQL {@code LISTEN} connection).
   *
   * @return a new connection in auto-commit mode; the caller closes it
   * @throws SQLException if the driver cannot connect
   */
  public Connection openDirectConnection() throws SQLException {
    Properties properties = url.dialect().connectionProperties(settings);
    properties.putAll(url.secretProperties());
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  /**
   * Runs read-only work in auto-commit mode.
   *
   * @param what the operation, for messages, for example {@code "reading workspace docs"}
   * @param work runs on one pooled connection
   * @return what {@code work} returned
   * @throws X the failure {@code work} threw, or a driver failure made by the {@link FailureFactory}
   */
  public <T> T read(String what, Work<T, X> work) throws X {
    requireOpen(what);
    Transaction<X> unit = bound.get();
    if (unit != null) {
      return unit.call(what, work);
    }
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs work in one transaction and commits it; rolls back on any failure, so that nothing of it is stored.
   * Retries a PostgreSQL serialization failure or deadlock a few times: {@code work} must be repeatable.
   *
   * @param what the operation, for messages
   * @param work runs in the transaction; repeatable
   * @return what {@code work} returned, after the commit
   * @throws X the failure {@code work} threw (rolled back), or a driver failure made by the {@link FailureFactory}
   */
  public <T> T write(String what, Work<T, X> work) throws X {
    requireOpen(what);
    Transaction<X> unit = bound.get();
    if (unit != null) {
      return unit.call(what, work);
    }
    if (groupCommit != null) {
      return groupCommit.run(what, () -> bound.get().call(what, work));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(work);
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e) || closed) {
          throw failure(what, e);
        }
      }
    }
  }

  /**
   * Runs a unit of work: every {@link #read} and {@link #write} the body makes on the calling thread joins one
   * transaction, committed when the body returns and rolled back, entirely, when it throws or when any of
   * those calls failed (even one the body caught, whose failure is then rethrown). A unit inside a unit joins
   * the outer one with a savepoint, so an inner failure undoes only the inner unit. {@link #afterCommit}
   * actions run after the outermost commit, on the calling thread.
   *
   * <p>SQLite: group commit. Concurrent units of this database run one at a time on one connection, in one
   * SQLite transaction, each in a savepoint of its own (a failing unit rolls back only itself); the
   * transaction commits, with one fsync, when no other unit is waiting or a bound is reached (at most
   * 64 units, or 20 ms since its first unit
   * began), and each unit returns only after that commit. A failed commit fails every unit of the batch;
   * nothing of them is stored. PostgreSQL: one transaction on one pooled connection, READ COMMITTED; a
   * serialization failure or deadlock reruns the whole body (up to 5 times), so the
   * body must be repeatable.
   *
   * @param what the operation, for messages
   * @param body the unit's work
   * @return what {@code body} returned, after the commit
   * @throws X a driver failure or the failure of a call inside the unit; nothing of the unit was kept
   * @throws E what {@code body} threw; nothing of the unit was kept
   */
  public <T, E extends Exception> T inUnit(String what, Unit<T, E> body) throws X, E {
    requireOpen(what);
    Transaction<X> outer = bound.get();
    if (outer != null) {
      return outer.nested(what, body);
    }
    if (groupCommit != null) {
      return groupCommit.run(what, body);
    }
    for (int attempt = 1; ; attempt++) {
      Transaction<X> unit;
      try {
        unit = new Transaction<>(this, pool.getConnection());
      } catch (SQLException e) {
        throw failure(what, e);
      }
      boolean committed = false;
      try {
        dialect().begin(unit.connection());
        T result = runBound(unit, body);
        dialect().commit(unit.connection());
        committed = true;
        unit.release(false);
        unit.runAfterCommit();
        return result;
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e) || closed) {
          throw failure(what, e);
        }
      } catch (Exception e) {
        if (attempt >= MAX_ATTEMPTS || !unit.failedRetryably() || closed) {
          throw e;
        }
      } finally {
        if (!committed) {
          unit.release(true);
        }
      }
    }
  }

  /**
   * Runs {@code action} once the calling thread's unit of work commits (dropped if it rolls back), or at once
   * outside a unit: for notices and caches that must not announce what might still be undone.
   */
  public void afterCommit(Runnable action) {
    Objects.requireNonNull(action, "action");
    Transaction<X> unit = bound.get();
    if (unit != null) {
      unit.afterCommit(action);
    } else {
      action.run();
    }
  }

  /** @return whether the calling thread is inside a unit of work of this database */
  public boolean inUnit() {
    return bound.get() != null;
  }

  /** @return SQLite group-commit counters (batches committed, units in them); zeros for PostgreSQL */
  public GroupCommitStats groupCommitStats() {
    return groupCommit == null ? new GroupCommitStats(0, 0) : groupCommit.stats();
  }

  /**
   * Group-commit counters: {@code units / batches} is the mean number of units that shared one commit.
   *
   * @param batches SQLite transactions committed by group commit
   * @param units units of work (and plain writes) committed in them
   */
  public record GroupCommitStats(long batches, long units) {}

  /** Runs {@code body} with {@code unit} bound to this thread; fails if a call inside it failed. */
  <T, E extends Exception> T runBound(Transaction<X> unit, Unit<T, E> body) throws X, E {
    bound.set(unit);
    try {
      T result = body.run();
      unit.throwIfFailed();
      return result;
    } finally {
      bound.remove();
    }
  }

  /** @return a pooled connection, for {@link GroupCommit} */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** Closes a connection, or drops it from the pool when its state is unknown (a failed rollback). */
  void release(Connection connection, boolean discard) {
    if (discard) {
      pool.evictConnection(connection);
    } else {
      try {
        connection.close();
      } catch (SQLException e) {
        pool.evictConnection(connection);
      }
    }
  }

  private <T> T writeOnce(Work<T, X> work) throws SQLException, X {
    Connection connection = pool.getConnection();
    boolean discard = false;
    try {
      dialect().begin(connection);
      boolean committed = false;
      try {
        T result = work.run(connection);
        dialect().commit(connection);
        committed = true;
        return result;
      } finally {
        if (!committed) {
          try {
            dialect().rollback(connection);
          } catch (SQLException rollbackFailure) {
            discard = true;
          }
        }
      }
    } finally {
      if (discard) {
        pool.evictConnection(connection);
      } else {
        connection.close();
      }
    }
  }

  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  void requireOpen(String what) throws X {
    if (closed) {
      throw failures.create(DatabaseFailure.CLOSED, what + " on " + url + " after close()", null);
    }
  }

  /** Maps a driver failure of {@code what}: closed, unreachable, corrupted (SQLite) or failed. */
  X failure(String what, SQLException e) {
    if (closed) {
      return failures.create(DatabaseFailure.CLOSED, what + " on " + url + " interrupted by close()", e);
    }
    String state = e.getSQLState();
    boolean unreachable = e instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"));
    DatabaseFailure failure = unreachable ? DatabaseFailure.UNREACHABLE
        : dialect() == DatabaseDialect.SQLITE && isSqliteCorruption(e) ? DatabaseFailure.CORRUPTED
        : DatabaseFailure.OPERATION_FAILED;
    return failures.create(failure, what + " on " + url + " failed: " + summary(e), e);
  }

  static boolean isSqliteCorruption(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return e.getErrorCode() == 26 || e.getErrorCode() == 11 || message.contains("SQLITE_NOTADB")
        || message.contains("SQLITE_CORRUPT");
  }

  /** @return the first line of a driver message with its SQLState, bounded in length: for messages */
  public static String summary(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    if (e instanceof SQLException sql && sql.getSQLState() != null) {
      message += " (SQLState " + sql.getSQLState() + ")";
    }
    return message;
  }

  /** @return an SQL identifier in double quotes, inner quotes doubled */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Closes the pool; later calls fail with {@link DatabaseFailure#CLOSED}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    pool.close();
  }
}
