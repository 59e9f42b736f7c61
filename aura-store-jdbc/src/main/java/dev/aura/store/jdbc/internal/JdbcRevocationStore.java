package dev.aura.store.jdbc.internal;

import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreException;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link RevocationStore} over JDBC. {@link #append} increments the {@code revocations} row of
 * {@code aura_heads} in the same transaction as the insert: the row lock serializes appends across processes
 * and a rollback undoes the increment, so versions are distinct and gap-free.
 */
public final class JdbcRevocationStore implements RevocationStore {
  private final SqlDatabase<JdbcStoreException> db;
  private final JdbcChangeFeed feed;

  JdbcRevocationStore(SqlDatabase<JdbcStoreException> db, JdbcChangeFeed feed) {
    this.db = db;
    this.feed = feed;
  }

  @Override
  public RevocationEntry append(RevocationChange change) throws StoreException {
    Objects.requireNonNull(change, "change");
    RevocationEntry stored = db.write("appending a revocation of " + change.target(), c -> {
      long version = Heads.next(c, Heads.REVOCATIONS).seq();
      try (PreparedStatement s = c.prepareStatement("INSERT INTO revocations (version, action, target_kind,"
          + " target_value, actor, at_s, at_n, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setLong(1, version);
        s.setString(2, change.action().name());
        s.setString(3, change.target().kind().name());
        s.setString(4, change.target().value());
        s.setString(5, change.actor());
        Instants.bind(s, 6, change.at());
        s.setString(8, change.reason());
        s.executeUpdate();
      }
      feed.inTransaction(c, new StoreChange(StoreChange.Topic.REVOCATIONS, version));
      return new RevocationEntry(version, change);
    });
    feed.afterCommit(new StoreChange(StoreChange.Topic.REVOCATIONS, stored.version()));
    return stored;
  }

  @Override
  public List<RevocationEntry> since(long afterVersion, int limit) throws StoreException {
    if (afterVersion < 0) {
      throw new IllegalArgumentException("afterVersion must be 0 or more, got " + afterVersion);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return db.read("reading revocations after version " + afterVersion, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT version, action, target_kind, target_value, actor,"
          + " at_s, at_n, reason FROM revocations WHERE version > ? ORDER BY version LIMIT ?")) {
        s.setLong(1, afterVersion);
        s.setInt(2, limit);
        List<RevocationEntry> entries = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            RevocationChange change = new RevocationChange(
                RevocationChange.Action.valueOf(rs.getString("action")),
                new RevocationTarget(RevocationTarget.Kind.valueOf(rs.getString("target_kind")),
                    rs.getString("target_value")),
                rs.getString("actor"), Instants.read(rs, "at"), rs.getString("reason"));
            entries.add(new RevocationEntry(rs.getLong("version"), change));
          }
        }
        return List.copyOf(entries);
      }
    });
  }

  @Override
  public long latestVersion() throws StoreException {
    return db.read("reading the latest revocation version", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM revocations");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
