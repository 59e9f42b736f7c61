package dev.aura.sync.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The event log's connection pool and the one way everything talks to it: {@link #read} and
 * {@link #write}, which map every {@link SQLException} to an {@link EventLogException} naming the
 * operation and the (redacted) database.
 */
public final class LogDatabase implements AutoCloseable {
  static final int CONNECT_TIMEOUT_SECONDS = 10;
  static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final int MAX_ATTEMPTS = 5;

  private final LogUrl url;
  private final HikariDataSource pool;
  private final ReentrantLock writeLock;
  private volatile boolean closed;

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs in a transaction for {@link #write}, in auto-commit for {@link #read}. */
    T run(Connection connection) throws SQLException, EventLogException;
  }

  private LogDatabase(LogUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
    this.writeLock = url.dialect().serializesWritesInProcess() ? new ReentrantLock() : null;
  }

  /**
   * Creates an SQLite database file empty and owner-only (0600, parent directories 0700) before the driver
   * sees it, so that SQLite, which gives its {@code -wal} and {@code -shm} files the database's mode, never
   * creates anything readable by others.
   */
  static void createSqliteFile(Path file) throws EventLogException {
    if (Files.isDirectory(file)) {
      throw new EventLogException(Reason.UNSUPPORTED_URL, file + " is a directory, expected a database file");
    }
    try {
      if (!Files.exists(file)) {
        createDirectories(file.getParent());
        Files.createFile(file, ownerOnly(file, "rw-------"));
      }
    } catch (FileAlreadyExistsException e) {
      // created concurrently: fine
    } catch (IOException e) {
      throw new EventLogException(Reason.IO, "cannot create the event log file " + file + ": " + e.getMessage());
    }
  }

  private static void createDirectories(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    createDirectories(dir.getParent());
    try {
      Files.createDirectory(dir, ownerOnly(dir, "rwx------"));
    } catch (FileAlreadyExistsException e) {
      // created concurrently: fine
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path path, String mode) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
        : new FileAttribute<?>[0];
  }

  /** Opens a direct, unpooled connection that changes nothing, for inspecting a database before use. */
  static Connection inspect(LogUrl url) throws SQLException {
    Properties properties = url.dialect().inspectionProperties(CONNECT_TIMEOUT_SECONDS, BUSY_TIMEOUT_MILLIS);
    properties.putAll(url.secretProperties());
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  /** Starts the pool; the database must have been inspected first. */
  static LogDatabase start(LogUrl url, int maxConnections) throws EventLogException {
    HikariConfig config = new HikariConfig();
    config.setPoolName("aura-sync-" + POOLS.incrementAndGet());
    config.setJdbcUrl(url.jdbcUrl());
    Properties properties = url.dialect().connectionProperties(CONNECT_TIMEOUT_SECONDS, BUSY_TIMEOUT_MILLIS);
    properties.putAll(url.secretProperties());
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(maxConnections);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
    config.setValidationTimeout(5_000);
    try {
      return new LogDatabase(url, new HikariDataSource(config));
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
      throw new EventLogException(Reason.UNREACHABLE, "cannot connect to " + url + ": " + summary(cause), e);
    }
  }

  /** @return the dialect */
  public LogDialect dialect() {
    return url.dialect();
  }

  /** @return the redacted location, for messages */
  public LogUrl url() {
    return url;
  }

  DataSource dataSource() {
    return pool;
  }

  /** Runs read-only work in auto-commit mode. */
  public <T> T read(String what, Work<T> work) throws EventLogException {
    requireOpen(what);
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs work in one transaction and commits it; rolls back on any failure, so that nothing of it is
   * stored. Retries a PostgreSQL serialization failure or deadlock a few times; {@code work} must therefore
   * be repeatable.
   */
  public <T> T write(String what, Work<T> work) throws EventLogException {
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

  private <T> T writeOnce(Work<T> work) throws SQLException, EventLogException {
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

  private void requireOpen(String what) throws EventLogException {
    if (closed) {
      throw new EventLogException(Reason.CLOSED, what + " on " + url + " after close()");
    }
  }

  /** Maps a driver failure of {@code what}. */
  EventLogException failure(String what, SQLException e) {
    if (closed) {
      return new EventLogException(Reason.CLOSED, what + " on " + url + " interrupted by close()", e);
    }
    String state = e.getSQLState();
    boolean unreachable = e instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"));
    if (dialect() == LogDialect.SQLITE && isSqliteCorruption(e)) {
      return new EventLogException(Reason.CORRUPT, what + " on " + url + " failed: " + summary(e), e);
    }
    return new EventLogException(unreachable ? Reason.UNREACHABLE : Reason.IO,
        what + " on " + url + " failed: " + summary(e), e);
  }

  static boolean isSqliteCorruption(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return e.getErrorCode() == 26 || e.getErrorCode() == 11 || message.contains("SQLITE_NOTADB")
        || message.contains("SQLITE_CORRUPT");
  }

  /** The first line of a driver message with its SQLState, bounded in length. */
  static String summary(Throwable e) {
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

  /** Closes the pool; later calls fail with {@link Reason#CLOSED}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    pool.close();
  }
}
