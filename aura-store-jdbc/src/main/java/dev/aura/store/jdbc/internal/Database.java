package dev.aura.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.store.jdbc.JdbcStoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The connection pool and the one way the stores talk to it: {@link #read} and {@link #write}, which map
 * every {@link SQLException} to a {@link JdbcStoreException} naming the operation and the (redacted)
 * database.
 */
public final class Database implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final int MAX_ATTEMPTS = 5;

  private final StoreUrl url;
  private final JdbcStoreOptions options;
  private final HikariDataSource pool;
  private final ReentrantLock writeLock;
  private volatile boolean closed;

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs on a connection that is in a transaction for {@link #write}, in auto-commit for {@link #read}. */
    T run(Connection connection) throws SQLException, JdbcStoreException;
  }

  private Database(StoreUrl url, JdbcStoreOptions options, HikariDataSource pool) {
    this.url = url;
    this.options = options;
    this.pool = pool;
    this.writeLock = url.dialect().serializesWritesInProcess() ? new ReentrantLock() : null;
  }

  /** Opens a direct, unpooled connection that changes nothing, for inspecting a database before use. */
  static Connection inspect(StoreUrl url, JdbcStoreOptions options) throws SQLException {
    Properties properties = url.dialect().inspectionProperties(options.connectTimeout(), options.busyTimeout());
    properties.putAll(url.secretProperties());
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  /** Starts the pool; the database must have been inspected first. */
  static Database start(StoreUrl url, JdbcStoreOptions options) throws JdbcStoreException {
    HikariConfig config = new HikariConfig();
    config.setPoolName("aura-store-" + POOLS.incrementAndGet());
    config.setJdbcUrl(url.jdbcUrl());
    Properties properties = url.dialect().connectionProperties(options.connectTimeout(), options.busyTimeout());
    properties.putAll(url.secretProperties());
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(options.maxPoolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setValidationTimeout(Math.min(options.connectTimeout().toMillis(), 5_000));
    try {
      return new Database(url, options, new HikariDataSource(config));
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
      throw new JdbcStoreException(Reason.UNREACHABLE, "cannot connect to " + url + ": " + summary(cause), e);
    }
  }

  /** @return the dialect */
  public Dialect dialect() {
    return url.dialect();
  }

  /** @return the redacted location, for messages */
  public StoreUrl url() {
    return url;
  }

  DataSource dataSource() {
    return pool;
  }

  /** Opens a dedicated connection outside the pool (the PostgreSQL listener's). */
  Connection connectDirect() throws SQLException {
    Properties properties =
        url.dialect().connectionProperties(options.connectTimeout(), options.busyTimeout());
    properties.putAll(url.secretProperties());
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  /** Runs read-only work in auto-commit mode. */
  public <T> T read(String what, Work<T> work) throws JdbcStoreException {
    requireOpen(what);
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs work in one transaction and commits it; rolls back on any failure, so that nothing of it is
   * stored. Retries a PostgreSQL serialization failure or deadlock a few times.
   */
  public <T> T write(String what, Work<T> work) throws JdbcStoreException {
    requireOpen(what);
    if (writeLock != null) {
      writeLock.lock();
    }
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return writeOnce(work);
        } catch (SQLException e) {
          if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
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

  private <T> T writeOnce(Work<T> work) throws SQLException, JdbcStoreException {
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

  private void requireOpen(String what) throws JdbcStoreException {
    if (closed) {
      throw new JdbcStoreException(Reason.CLOSED, what + " on " + url + " after close()");
    }
  }

  private JdbcStoreException failure(String what, SQLException e) {
    if (closed) {
      return new JdbcStoreException(Reason.CLOSED, what + " on " + url + " after close()", e);
    }
    String state = e.getSQLState();
    boolean unreachable = e instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"));
    return new JdbcStoreException(unreachable ? Reason.UNREACHABLE : Reason.OPERATION_FAILED,
        what + " on " + url + " failed: " + summary(e), e);
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
