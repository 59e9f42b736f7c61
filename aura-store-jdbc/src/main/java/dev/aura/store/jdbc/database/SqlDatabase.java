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
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Thread safety: safe for concurrent use; every call takes its own pooled connection. On SQLite, writes of
 * one {@code SqlDatabase} queue on a Java lock (SQLite has one writer and its busy handler sleeps); other
 * processes wait up to the busy timeout. Opens of one SQLite file in this JVM are serialized.
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
  private final ReentrantLock writeLock;
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

  private SqlDatabase(DatabaseUrl url, PoolSettings settings, FailureFactory<X> failures, String schema,
      HikariDataSource pool) {
    this.url = url;
    this.settings = settings;
    this.failures = failures;
    this.schema = schema;
    this.pool = pool;
    this.writeLock = url.dialect().serializesWritesInProcess() ? new ReentrantLock() : null;
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
    if (writeLock != null) {
      writeLock.lock();
    }
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return writeOnce(work);
        } catch (SQLException e) {
          if (attempt >= MAX_ATTEMPTS || !isRetryable(e) || closed) {
            throw failure(what, e);
          }
        }
      }
    } finally {
      if (writeLock != null) {
        writeLock.unlock();
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

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private void requireOpen(String what) throws X {
    if (closed) {
      throw failures.create(DatabaseFailure.CLOSED, what + " on " + url + " after close()", null);
    }
  }

  /** Maps a driver failure of {@code what}: closed, unreachable, corrupted (SQLite) or failed. */
  private X failure(String what, SQLException e) {
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
