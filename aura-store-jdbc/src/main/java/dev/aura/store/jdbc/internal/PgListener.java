package dev.aura.store.jdbc.internal;

import dev.aura.spi.StoreChange;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a PostgreSQL store owns: it holds a dedicated connection that {@code LISTEN}s on the
 * schema's channel and hands each notification to the feed. It polls every {@value #POLL_MILLIS} ms so that
 * {@link #close()} stops it promptly. When the connection breaks it reconnects with a growing pause (up to
 * {@value #MAX_BACKOFF_MILLIS} ms) and then announces every topic once, since notices sent meanwhile were
 * lost (the feed promises at-least-once delivery; listeners re-read the store). A lost
 * {@link StoreChange.Topic#KICK} is not repeated: a kick is not state.
 */
final class PgListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private static final int POLL_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final SqlDatabase<JdbcStoreException> database;
  private final JdbcChangeFeed feed;
  private final Thread thread;
  private volatile Connection connection;
  private volatile boolean closed;

  private PgListener(SqlDatabase<JdbcStoreException> database, JdbcChangeFeed feed, Connection connection) {
    this.database = database;
    this.feed = feed;
    this.connection = connection;
    this.thread = new Thread(this::run, "aura-store-listener-" + feed.channel());
    this.thread.setDaemon(true);
  }

  /** Connects and executes {@code LISTEN} before returning, so no change committed afterwards is missed. */
  static PgListener start(SqlDatabase<JdbcStoreException> database, JdbcChangeFeed feed)
      throws JdbcStoreException {
    Connection connection;
    try {
      connection = listen(database, feed);
    } catch (SQLException e) {
      throw new JdbcStoreException(Reason.UNREACHABLE, "cannot open the change listener connection to "
          + database.url() + ": " + SqlDatabase.summary(e), e);
    }
    PgListener listener = new PgListener(database, feed, connection);
    listener.thread.start();
    return listener;
  }

  private static Connection listen(SqlDatabase<JdbcStoreException> database, JdbcChangeFeed feed)
      throws SQLException {
    Connection connection = database.openDirectConnection();
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN " + SqlDatabase.quote(feed.channel()));
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  boolean isRunning() {
    return thread.isAlive();
  }

  private void run() {
    long backoff = 100;
    while (!closed) {
      try {
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        backoff = 100;
        if (notifications == null) {
          continue;
        }
        for (PGNotification notification : notifications) {
          StoreChange change = JdbcChangeFeed.decode(notification.getParameter());
          if (change != null && !closed) {
            feed.deliver(change);
          }
        }
      } catch (SQLException e) {
        if (closed) {
          break;
        }
        LOG.warn("change listener on {} lost its connection ({}); reconnecting", database.url(),
            SqlDatabase.summary(e));
        closeQuietly(connection);
        if (!pause(backoff)) {
          break;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        reconnect();
      }
    }
    closeQuietly(connection);
  }

  private void reconnect() {
    try {
      connection = listen(database, feed);
      long version;
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT seq FROM aura_heads WHERE name = 'revocations'")) {
        version = rs.next() ? rs.getLong(1) : 0;
      }
      LOG.info("change listener on {} reconnected", database.url());
      feed.deliver(new StoreChange(StoreChange.Topic.REVOCATIONS, version));
      feed.deliver(new StoreChange(StoreChange.Topic.SIGNING_KEYS, 0));
      feed.deliver(new StoreChange(StoreChange.Topic.PEERS, 0));
      feed.deliver(new StoreChange(StoreChange.Topic.CERTIFICATE, 0));
      feed.deliver(new StoreChange(StoreChange.Topic.EVENTS, 0)); // no workspace: every one
    } catch (SQLException e) {
      // the next poll fails again and pauses longer
    }
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      // closing a broken connection; nothing to do
    }
  }

  /** Stops the thread (within about one poll interval) and closes its connection. Idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2_000L + POLL_MILLIS);
      if (thread.isAlive()) {
        closeQuietly(connection);
        thread.join(2_000L);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
