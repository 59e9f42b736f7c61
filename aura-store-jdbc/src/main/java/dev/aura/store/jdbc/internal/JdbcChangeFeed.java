package dev.aura.store.jdbc.internal;

import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@link StoreChangeFeed}. Stores report each change twice: {@link #inTransaction} while the
 * writing transaction is open, {@link #afterCommit} once it committed. PostgreSQL turns the first into a
 * {@code pg_notify} that the database delivers, on commit, to every process listening on this schema's
 * channel (this one included, through {@link PgListener}), so a rolled-back unit of work announces nothing;
 * SQLite ignores it and delivers the second in-process, on the writing thread, after the commit (of the
 * unit of work, inside one).
 */
public final class JdbcChangeFeed implements StoreChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeFeed.class);

  private final DatabaseDialect dialect;
  private final SqlDatabase<JdbcStoreException> database;
  private final String channel;
  private final List<Registration> listeners = new CopyOnWriteArrayList<>();

  JdbcChangeFeed(SqlDatabase<JdbcStoreException> database) {
    this.dialect = database.dialect();
    this.database = database;
    this.channel = channelFor(database.schema());
  }

  /** A channel per schema, so that stores in other schemas of the same database do not hear each other. */
  static String channelFor(String schema) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(String.valueOf(schema).getBytes(StandardCharsets.UTF_8));
      return "aura_changes_" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** @return the PostgreSQL notification channel of this schema */
  public String channel() {
    return channel;
  }

  @Override
  public Subscription subscribe(Consumer<StoreChange> listener) {
    Registration registration = new Registration(Objects.requireNonNull(listener, "listener"));
    listeners.add(registration);
    return registration;
  }

  /** Called inside the writing transaction. */
  void inTransaction(Connection connection, StoreChange change) throws SQLException {
    if (dialect != DatabaseDialect.POSTGRESQL) {
      return; // in-process only: afterCommit delivers
    }
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      s.setString(1, channel);
      s.setString(2, encode(change));
      s.execute();
    }
  }

  /**
   * Called after the writing call returned: delivers (SQLite) once its transaction committed, which inside a
   * unit of work is when the unit commits; a rolled-back unit delivers nothing.
   */
  void afterCommit(StoreChange change) {
    if (dialect == DatabaseDialect.SQLITE) {
      database.afterCommit(() -> deliver(change));
    }
  }

  /**
   * Announces a change that no store write carries (a notice only: {@link StoreChange.Topic#KICK}, or sync
   * events that another log persisted): PostgreSQL sends it at once, outside any transaction, to every process
   * listening on the schema's channel, this one included; SQLite delivers it in-process now.
   */
  public void announce(StoreChange change) throws JdbcStoreException {
    if (dialect != DatabaseDialect.POSTGRESQL) {
      deliver(change);
      return;
    }
    database.read("announcing " + change.topic(), c -> {
      inTransaction(c, change);
      return null;
    });
  }

  /** Hands a change to every current listener; one that throws does not stop the others. */
  void deliver(StoreChange change) {
    for (Registration registration : listeners) {
      try {
        registration.listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("a store change listener threw {} for {}", e.getClass().getName(), change);
      }
    }
  }

  static String encode(StoreChange change) {
    String head = change.topic().name() + ":" + change.version();
    return change.subject() == null ? head : head + ":" + change.subject();
  }

  /** @return the change, or null for a payload this version does not understand */
  static StoreChange decode(String payload) {
    int colon = payload == null ? -1 : payload.indexOf(':');
    if (colon < 0) {
      return null;
    }
    int second = payload.indexOf(':', colon + 1);
    try {
      return new StoreChange(StoreChange.Topic.valueOf(payload.substring(0, colon)),
          Long.parseLong(payload.substring(colon + 1, second < 0 ? payload.length() : second)),
          second < 0 ? null : payload.substring(second + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private final class Registration implements Subscription {
    private final Consumer<StoreChange> listener;

    Registration(Consumer<StoreChange> listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      listeners.remove(this);
    }
  }
}
