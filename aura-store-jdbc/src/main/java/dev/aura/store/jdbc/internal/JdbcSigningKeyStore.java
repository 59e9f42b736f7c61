package dev.aura.store.jdbc.internal;

import dev.aura.spi.SecretBytes;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreException;
import dev.aura.spi.StoredSigningKey;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link SigningKeyStore} over JDBC. Private keys are sealed with the {@link KeyFile} (AES-256-GCM, the kid
 * as associated data) before they reach the database and opened after they leave it; a store opened
 * without a key file can hold and read public-only keys, and refuses private ones with
 * {@link Reason#KEY_FILE}.
 */
public final class JdbcSigningKeyStore implements SigningKeyStore {
  private static final String COLUMNS = "kid, algorithm, status, created_at_s, created_at_n, retire_at_s,"
      + " retire_at_n, public_jwk, private_jwk_sealed";

  private final SqlDatabase<JdbcStoreException> db;
  private final KeyFile keyFile;
  private final JdbcChangeFeed feed;

  JdbcSigningKeyStore(SqlDatabase<JdbcStoreException> db, KeyFile keyFile, JdbcChangeFeed feed) {
    this.db = db;
    this.keyFile = keyFile;
    this.feed = feed;
  }

  @Override
  public List<StoredSigningKey> loadAll() throws StoreException {
    return db.read("loading signing keys", c -> {
      List<StoredSigningKey> keys = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
          + " FROM signing_keys ORDER BY created_at_s, created_at_n, kid");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String kid = rs.getString("kid");
          byte[] sealed = rs.getBytes("private_jwk_sealed");
          SecretBytes privateJwk = sealed == null ? null : unseal(kid, sealed);
          keys.add(new StoredSigningKey(kid, rs.getString("algorithm"),
              StoredSigningKey.KeyStatus.valueOf(rs.getString("status")), Instants.read(rs, "created_at"),
              Instants.read(rs, "retire_at"), rs.getString("public_jwk"), privateJwk));
        }
      }
      return List.copyOf(keys);
    });
  }

  @Override
  public void saveAll(List<StoredSigningKey> keys) throws StoreException {
    List<StoredSigningKey> copy = List.copyOf(keys);
    if (copy.isEmpty()) {
      return;
    }
    List<byte[]> sealed = new ArrayList<>();
    for (StoredSigningKey key : copy) {
      sealed.add(key.privateJwkIfAny().isPresent() ? seal(key.kid(), key.privateJwk()) : null);
    }
    db.write("saving " + copy.size() + " signing key(s)", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO signing_keys (" + COLUMNS + ")"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kid) DO UPDATE SET algorithm = excluded.algorithm,"
          + " status = excluded.status, created_at_s = excluded.created_at_s,"
          + " created_at_n = excluded.created_at_n, retire_at_s = excluded.retire_at_s,"
          + " retire_at_n = excluded.retire_at_n, public_jwk = excluded.public_jwk,"
          + " private_jwk_sealed = excluded.private_jwk_sealed")) {
        for (int i = 0; i < copy.size(); i++) {
          StoredSigningKey key = copy.get(i);
          s.setString(1, key.kid());
          s.setString(2, key.algorithm());
          s.setString(3, key.status().name());
          Instants.bind(s, 4, key.createdAt());
          Instants.bind(s, 6, key.retireAt());
          s.setString(8, key.publicJwk());
          s.setBytes(9, sealed.get(i));
          s.executeUpdate();
        }
      }
      feed.inTransaction(c, new StoreChange(StoreChange.Topic.SIGNING_KEYS, 0));
      return null;
    });
    feed.afterCommit(new StoreChange(StoreChange.Topic.SIGNING_KEYS, 0));
  }

  private byte[] seal(String kid, SecretBytes privateJwk) throws JdbcStoreException {
    KeyFile file = requireKeyFile(kid);
    byte[] plain = privateJwk.revealCopy();
    try {
      return file.seal(kid, plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private SecretBytes unseal(String kid, byte[] sealed) throws JdbcStoreException {
    byte[] plain = requireKeyFile(kid).open(kid, sealed);
    try {
      return SecretBytes.copyOf(plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private KeyFile requireKeyFile(String kid) throws JdbcStoreException {
    if (keyFile == null) {
      throw new JdbcStoreException(Reason.KEY_FILE, "the private key of kid " + kid + " is stored encrypted,"
          + " and this store was opened without a key file; pass JdbcStoreOptions.builder().keyFile(...)");
    }
    return keyFile;
  }
}
