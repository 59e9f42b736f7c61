package dev.aura.app.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.protocol.AuditWire;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.MothershipId;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import dev.aura.token.VerifiedJws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An admin peer's verified copy of its Mothership's audit log ({@code $AURA_HOME/audit-copy.db}, SQLite,
 * 0600): every entry checked against the hash chain as it arrives, and the latest head the Mothership signed.
 * With it, losing the Mothership host does not lose the audit trail, and a Mothership whose chain is shorter
 * than a head it signed is caught even when nothing follows the missing entries.
 *
 * <p>Not thread-safe: the control loop owns it.
 */
public final class AuditCopy implements AutoCloseable {
  private final Connection db;
  private final MothershipId mothership;

  /**
   * The state of the copy.
   *
   * @param entries how many entries it holds
   * @param lastSeq the last entry's sequence (0 when empty)
   * @param signedSeq the sequence of the latest head the Mothership signed and the copy verified (0: none)
   * @param signedAt when that head was signed
   */
  public record Status(long entries, long lastSeq, long signedSeq, Optional<Instant> signedAt) {}

  /**
   * What a page from the Mothership did.
   *
   * @param added entries added
   * @param truncation set when the Mothership's chain is shorter than a head it signed before
   */
  public record Update(int added, Optional<String> truncation) {}

  private AuditCopy(Connection db, MothershipId mothership) {
    this.db = db;
    this.mothership = mothership;
  }

  /** Opens (creating owner-only) the copy for one Mothership. */
  public static AuditCopy open(Path file, MothershipId mothership) throws AuraException {
    try {
      if (!Files.exists(file)) {
        OwnerOnlyFiles.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.SECRET));
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = FULL");
        s.execute("CREATE TABLE IF NOT EXISTS audit_copy (mothership TEXT NOT NULL, seq INTEGER NOT NULL,"
            + " entry TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (mothership, seq))");
        s.execute("CREATE TABLE IF NOT EXISTS audit_head (mothership TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
            + " hash TEXT NOT NULL, signed TEXT NOT NULL, signed_at INTEGER NOT NULL)");
      }
      return new AuditCopy(c, mothership);
    } catch (IOException | SQLException e) {
      throw new AuraException("cannot open the audit copy " + file, e.getMessage());
    }
  }

  /** @return the last sequence held, to follow from */
  public long lastSeq() throws AuraException {
    return status().lastSeq();
  }

  /** @return how much the copy holds */
  public Status status() throws AuraException {
    try (PreparedStatement count = db.prepareStatement(
            "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM audit_copy WHERE mothership = ?");
        PreparedStatement head = db.prepareStatement(
            "SELECT seq, signed_at FROM audit_head WHERE mothership = ?")) {
      count.setString(1, mothership.value());
      head.setString(1, mothership.value());
      long n;
      long last;
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        n = rs.getLong(1);
        last = rs.getLong(2);
      }
      try (ResultSet rs = head.executeQuery()) {
        if (rs.next()) {
          return new Status(n, last, rs.getLong(1), Optional.of(Instant.ofEpochSecond(rs.getLong(2))));
        }
      }
      return new Status(n, last, 0, Optional.empty());
    } catch (SQLException e) {
      throw new AuraException("cannot read the audit copy", e.getMessage());
    }
  }

  /**
   * Applies a page ({@code entries} and the signed {@code head}): entries that do not continue the copy's chain
   * are refused (nothing of the page is kept), the head is kept once the copy holds the chain up to it.
   *
   * @throws AuraException when the page is forged or inconsistent
   */
  public Update apply(JsonNode entries, String signedHead, PublicKeyRing keys, Instant now) throws AuraException {
    try {
      Status before = status();
      Optional<long[]> headSeq = Optional.empty();
      String headHash = null;
      long signedAt = 0;
      if (signedHead != null && !signedHead.isEmpty()) {
        VerifiedJws head;
        try {
          head = TypedJws.verify(signedHead, TokenType.AUDIT_HEAD, keys, TypedJws.DEFAULT_ALGORITHMS, now);
          if (!mothership.value().equals(head.claims().string("iss"))) {
            throw new AuraException("audit head refused", "signed for " + head.claims().string("iss")
                + ", not " + mothership);
          }
          headSeq = Optional.of(new long[] {head.claims().integer("seq")});
          headHash = head.claims().string("hash");
          signedAt = head.claims().integer("iat");
        } catch (TokenRejectedException e) {
          throw new AuraException("audit head refused", e.getMessage());
        }
      }
      if (headSeq.isPresent() && headSeq.get()[0] < before.signedSeq()) {
        return new Update(0, Optional.of("audit chain truncated: the Mothership's audit log now ends at entry "
            + headSeq.get()[0] + ", but it signed entry " + before.signedSeq() + " on "
            + before.signedAt().map(Instant::toString).orElse("?") + "; this copy holds entries "
            + (headSeq.get()[0] + 1) + " to " + before.lastSeq()
            + " (give them back: aura mothership audit --restore-from-copy)"));
      }
      List<AuditEntry> page = new ArrayList<>();
      for (JsonNode e : entries) {
        page.add(AuditWire.read(e));
      }
      String previous = lastHash(before.lastSeq());
      long seq = before.lastSeq();
      for (AuditEntry e : page) {
        if (!AuditChain.follows(seq, previous, e)) {
          throw new AuraException("audit entries refused", "entry " + e.sequence() + " does not continue this"
              + " copy's chain at entry " + seq);
        }
        seq = e.sequence();
        previous = e.hash();
      }
      db.setAutoCommit(false);
      try (PreparedStatement insert = db.prepareStatement(
          "INSERT INTO audit_copy (mothership, seq, entry, hash) VALUES (?, ?, ?, ?)")) {
        for (AuditEntry e : page) {
          insert.setString(1, mothership.value());
          insert.setLong(2, e.sequence());
          insert.setString(3, Wire.write(AuditWire.write(e)));
          insert.setString(4, e.hash());
          insert.addBatch();
        }
        insert.executeBatch();
        if (headSeq.isPresent() && headSeq.get()[0] <= seq && headSeq.get()[0] >= before.signedSeq()) {
          String atHead = headSeq.get()[0] == seq ? previous : lastHash(headSeq.get()[0]);
          if (!headHash.equals(atHead)) {
            db.rollback();
            throw new AuraException("audit chain diverged", "the Mothership signed entry " + headSeq.get()[0]
                + " with another hash than this copy holds");
          }
          try (PreparedStatement h = db.prepareStatement("INSERT INTO audit_head (mothership, seq, hash, signed,"
              + " signed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (mothership) DO UPDATE SET seq = excluded.seq,"
              + " hash = excluded.hash, signed = excluded.signed, signed_at = excluded.signed_at")) {
            h.setString(1, mothership.value());
            h.setLong(2, headSeq.get()[0]);
            h.setString(3, headHash);
            h.setString(4, signedHead);
            h.setLong(5, signedAt);
            h.executeUpdate();
          }
        }
        db.commit();
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
      return new Update(page.size(), Optional.empty());
    } catch (SQLException e) {
      throw new AuraException("cannot write the audit copy", e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new AuraException("audit entries refused", e.getMessage());
    }
  }

  private String lastHash(long seq) throws SQLException {
    if (seq == 0) {
      return AuditChain.GENESIS;
    }
    try (PreparedStatement s = db.prepareStatement("SELECT hash FROM audit_copy WHERE mothership = ? AND seq = ?")) {
      s.setString(1, mothership.value());
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the audit copy has no entry " + seq);
        }
        return rs.getString(1);
      }
    }
  }

  /**
   * The entries after {@code afterSeq} up to the signed head, with it: what a restored Mothership takes back.
   *
   * @return entries as JSON and the signed head, or empty when the copy holds nothing after {@code afterSeq}
   */
  public Optional<TakeBack> after(long afterSeq) throws AuraException {
    try (PreparedStatement head = db.prepareStatement("SELECT seq, signed FROM audit_head WHERE mothership = ?");
        PreparedStatement s = db.prepareStatement(
            "SELECT entry FROM audit_copy WHERE mothership = ? AND seq > ? AND seq <= ? ORDER BY seq")) {
      head.setString(1, mothership.value());
      long headSeq;
      String signed;
      try (ResultSet rs = head.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        headSeq = rs.getLong(1);
        signed = rs.getString(2);
      }
      if (headSeq <= afterSeq) {
        return Optional.empty();
      }
      s.setString(1, mothership.value());
      s.setLong(2, afterSeq);
      s.setLong(3, headSeq);
      ArrayNode entries = Wire.json().createArrayNode();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          entries.add(Wire.parseObject(rs.getString(1)));
        }
      }
      return Optional.of(new TakeBack(entries, signed, headSeq));
    } catch (SQLException e) {
      throw new AuraException("cannot read the audit copy", e.getMessage());
    }
  }

  /**
   * Entries to give back.
   *
   * @param entries as JSON
   * @param signedHead the head the Mothership signed
   * @param headSeq its sequence
   */
  public record TakeBack(ArrayNode entries, String signedHead, long headSeq) {}

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      // nothing left to release
    }
  }
}
