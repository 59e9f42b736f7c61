package dev.aura.store.jdbc.internal;

import dev.aura.spi.PeerId;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoreException;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RefreshCredentialStore} over JDBC: one row per peer (a hash, never the credential).
 * {@link #rotate} locks the current row, so of concurrent rotations of one credential exactly one finds it
 * and replaces it; the others find it gone.
 */
public final class JdbcRefreshCredentialStore implements RefreshCredentialStore {
  private static final String COLUMNS =
      "credential_id, peer_id, hash, issued_at_s, issued_at_n, expires_at_s, expires_at_n";

  private final SqlDatabase<JdbcStoreException> db;

  JdbcRefreshCredentialStore(SqlDatabase<JdbcStoreException> db) {
    this.db = db;
  }

  @Override
  public void issue(RefreshCredentialRecord record) throws StoreException {
    Objects.requireNonNull(record, "record");
    db.write("issuing a refresh credential to " + record.peer(), c -> {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM refresh_credentials WHERE peer_id = ? OR credential_id = ?")) {
        s.setString(1, record.peer().value());
        s.setString(2, record.credentialId());
        s.executeUpdate();
      }
      insert(c, record);
      return null;
    });
  }

  @Override
  public Optional<RefreshCredentialRecord> find(String credentialId) throws StoreException {
    Objects.requireNonNull(credentialId, "credentialId");
    return db.read("looking up a refresh credential", c -> Optional.ofNullable(load(c, credentialId, "")));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code next} belongs to another peer than the current credential
   */
  @Override
  public boolean rotate(String currentId, RefreshCredentialRecord next) throws StoreException {
    Objects.requireNonNull(currentId, "currentId");
    Objects.requireNonNull(next, "next");
    return db.write("rotating the refresh credential of " + next.peer(), c -> {
      RefreshCredentialRecord current = load(c, currentId, db.dialect().lockingRead());
      if (current == null) {
        return false;
      }
      if (!current.peer().equals(next.peer())) {
        throw new IllegalArgumentException("credential " + currentId + " belongs to " + current.peer()
            + ", but its replacement names " + next.peer());
      }
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM refresh_credentials WHERE credential_id = ?")) {
        s.setString(1, currentId);
        s.executeUpdate();
      }
      insert(c, next);
      return true;
    });
  }

  private static void insert(Connection c, RefreshCredentialRecord record) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO refresh_credentials (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, record.credentialId());
      s.setString(2, record.peer().value());
      s.setBytes(3, record.hash().toByteArray());
      Instants.bind(s, 4, record.issuedAt());
      Instants.bind(s, 6, record.expiresAt());
      s.executeUpdate();
    }
  }

  private static RefreshCredentialRecord load(Connection c, String credentialId, String suffix)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM refresh_credentials WHERE credential_id = ?" + suffix)) {
      s.setString(1, credentialId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new RefreshCredentialRecord(rs.getString("credential_id"), PeerId.parse(rs.getString("peer_id")),
            SecretHash.fromStored(rs.getBytes("hash")), Instants.read(rs, "issued_at"),
            Instants.read(rs, "expires_at"));
      }
    }
  }
}
