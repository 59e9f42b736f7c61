package dev.aura.store.jdbc.internal;

import dev.aura.spi.MothershipId;
import dev.aura.spi.SecretBytes;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.spi.StoreChange;
import dev.aura.store.jdbc.MothershipIdentity;
import dev.aura.store.jdbc.StoredPreviousCertificate;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one row of {@code mothership_identity}. Adoption is insert-if-absent then read back, in one
 * transaction, so of any number of instances starting at once exactly one identity wins and all read it.
 */
public final class JdbcIdentityStore {
  private final SqlDatabase<JdbcStoreException> db;
  private final KeyFile keyFile;
  private final JdbcChangeFeed feed;

  JdbcIdentityStore(SqlDatabase<JdbcStoreException> db, KeyFile keyFile, JdbcChangeFeed feed) {
    this.db = db;
    this.keyFile = keyFile;
    this.feed = feed;
  }

  /** @return the stored identity, if an instance created one */
  public Optional<MothershipIdentity> load() throws JdbcStoreException {
    return db.read("reading the Mothership identity", this::select);
  }

  /**
   * Stores {@code candidate} unless an identity is stored; completes a stored id-only identity with the
   * candidate's certificate.
   *
   * @return the identity now stored
   */
  public MothershipIdentity adopt(MothershipIdentity candidate) throws JdbcStoreException {
    byte[] sealed = sealed(candidate);
    return db.write("adopting the Mothership identity", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO mothership_identity (singleton, mothership_id,"
          + " certificate_pem, private_key_sealed) VALUES (1, ?, ?, ?) ON CONFLICT (singleton) DO NOTHING")) {
        s.setString(1, candidate.mothershipId().value());
        s.setString(2, candidate.certificatePem());
        s.setBytes(3, sealed);
        s.executeUpdate();
      }
      if (sealed != null) {
        try (PreparedStatement s = c.prepareStatement("UPDATE mothership_identity SET certificate_pem = ?,"
            + " private_key_sealed = ? WHERE singleton = 1 AND certificate_pem IS NULL")) {
          s.setString(1, candidate.certificatePem());
          s.setBytes(2, sealed);
          s.executeUpdate();
        }
      }
      return select(c).orElseThrow(() -> new SQLException("mothership_identity is empty after an insert"));
    });
  }

  /**
   * Replaces the stored certificate (after {@code tls rotate}) and records the one rotated away from, in one
   * transaction that announces {@link StoreChange.Topic#CERTIFICATE}; the id stays. Previous certificates
   * whose grace ended by {@code now} are deleted.
   *
   * @return false, with nothing written, when the stored certificate is no longer the one rotated away from
   */
  public boolean replaceCertificate(MothershipIdentity rotated, StoredPreviousCertificate previous, Instant now)
      throws JdbcStoreException {
    byte[] sealed = sealed(rotated);
    if (sealed == null) {
      throw new IllegalArgumentException("a rotated identity holds a certificate");
    }
    byte[] previousSealed = seal(previous.privateKeyPem());
    boolean replaced = db.write("storing the rotated certificate", c -> {
      // Compare and swap under the row's lock: a rotation on another instance that committed first wins.
      try (PreparedStatement s = c.prepareStatement("SELECT certificate_pem FROM mothership_identity"
          + " WHERE singleton = 1 AND mothership_id = ?" + (db.dialect() == DatabaseDialect.POSTGRESQL
          ? " FOR UPDATE" : ""))) {
        s.setString(1, rotated.mothershipId().value());
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("no stored identity " + rotated.mothershipId() + " to rotate");
          }
          if (!MothershipIdentity.sameCertificatePem(rs.getString(1), previous.certificatePem())) {
            return false;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE mothership_identity SET certificate_pem = ?,"
          + " private_key_sealed = ? WHERE singleton = 1 AND mothership_id = ?")) {
        s.setString(1, rotated.certificatePem());
        s.setBytes(2, sealed);
        s.setString(3, rotated.mothershipId().value());
        if (s.executeUpdate() != 1) {
          throw new SQLException("no stored identity " + rotated.mothershipId() + " to rotate");
        }
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM mothership_previous_certificates"
          + " WHERE retire_at_s <= ? OR handover_sequence = ?")) {
        s.setLong(1, now.getEpochSecond());
        s.setLong(2, previous.handoverSequence());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO mothership_previous_certificates"
          + " (handover_sequence, certificate_pem, private_key_sealed, handover, retire_at_s) VALUES (?, ?, ?, ?, ?)")) {
        s.setLong(1, previous.handoverSequence());
        s.setString(2, previous.certificatePem());
        s.setBytes(3, previousSealed);
        s.setString(4, previous.handover());
        s.setLong(5, previous.retireAt().getEpochSecond());
        s.executeUpdate();
      }
      feed.inTransaction(c, new StoreChange(StoreChange.Topic.CERTIFICATE, previous.handoverSequence()));
      return true;
    });
    if (replaced) {
      feed.afterCommit(new StoreChange(StoreChange.Topic.CERTIFICATE, previous.handoverSequence()));
    }
    return replaced;
  }

  /** @return the certificates rotated away from whose grace has not ended at {@code now}, oldest first */
  public List<StoredPreviousCertificate> previousCertificates(Instant now) throws JdbcStoreException {
    return db.read("reading the previous certificates", c -> {
      List<StoredPreviousCertificate> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT handover_sequence, certificate_pem, private_key_sealed,"
          + " handover, retire_at_s FROM mothership_previous_certificates WHERE retire_at_s > ?"
          + " ORDER BY handover_sequence")) {
        s.setLong(1, now.getEpochSecond());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            byte[] plain = requireKeyFile().openTlsKey(rs.getBytes(3));
            try {
              out.add(new StoredPreviousCertificate(rs.getLong(1), rs.getString(2), SecretBytes.copyOf(plain),
                  rs.getString(4), Instant.ofEpochSecond(rs.getLong(5))));
            } finally {
              Arrays.fill(plain, (byte) 0);
            }
          }
        }
      }
      return out;
    });
  }

  private byte[] seal(SecretBytes key) throws JdbcStoreException {
    byte[] plain = key.revealCopy();
    try {
      return requireKeyFile().sealTlsKey(plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private byte[] sealed(MothershipIdentity identity) throws JdbcStoreException {
    return identity.privateKeyPem() == null ? null : seal(identity.privateKeyPem());
  }

  private Optional<MothershipIdentity> select(Connection c) throws SQLException, JdbcStoreException {
    try (PreparedStatement s = c.prepareStatement("SELECT mothership_id, certificate_pem, private_key_sealed"
        + " FROM mothership_identity WHERE singleton = 1"); ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      MothershipId id;
      try {
        id = MothershipId.parse(rs.getString(1));
      } catch (IllegalArgumentException e) {
        throw new SQLException("mothership_identity holds an invalid id: " + e.getMessage());
      }
      byte[] sealed = rs.getBytes(3);
      if (sealed == null) {
        return Optional.of(MothershipIdentity.idOnly(id));
      }
      byte[] plain = requireKeyFile().openTlsKey(sealed);
      try {
        return Optional.of(MothershipIdentity.withCertificate(id, rs.getString(2), SecretBytes.copyOf(plain)));
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private KeyFile requireKeyFile() throws JdbcStoreException {
    if (keyFile == null) {
      throw new JdbcStoreException(Reason.KEY_FILE, "the Mothership's TLS private key is stored encrypted,"
          + " and this store was opened without a key file; pass JdbcStoreOptions.builder().keyFile(...)");
    }
    return keyFile;
  }
}
