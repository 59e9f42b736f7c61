package dev.aura.store.jdbc.internal;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoreException;
import dev.aura.spi.TokenLedger;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link TokenLedger} over JDBC. {@link #consume} first reads without a lock, which settles every refusal
 * (states only move forward: uses never come back, expiry and hash never change); only when a use seems
 * left does it lock the row ({@code SELECT ... FOR UPDATE}, or SQLite's {@code BEGIN IMMEDIATE}), check
 * again in the contract's order and take the use. Exactly N of any number of concurrent consumers succeed,
 * across threads, stores and processes on one database.
 */
public final class JdbcTokenLedger implements TokenLedger {
  private static final String COLUMNS = "jti, subject, role, issued_at_s, issued_at_n, expires_at_s,"
      + " expires_at_n, allowed_uses, uses_consumed, token_hash";

  private final SqlDatabase<JdbcStoreException> db;

  JdbcTokenLedger(SqlDatabase<JdbcStoreException> db) {
    this.db = db;
  }

  @Override
  public boolean record(LedgerEntry entry) throws StoreException {
    Objects.requireNonNull(entry, "entry");
    return db.write("recording token " + entry.jti(), c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO token_ledger (" + COLUMNS + ")"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING")) {
        s.setString(1, entry.jti().value());
        s.setString(2, entry.subject());
        s.setString(3, entry.role().wireName());
        Instants.bind(s, 4, entry.issuedAt());
        Instants.bind(s, 6, entry.expiresAt());
        s.setInt(8, entry.allowedUses());
        s.setInt(9, entry.usesConsumed());
        s.setBytes(10, entry.tokenHash().toByteArray());
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public ConsumeOutcome consume(Jti jti, SecretHash tokenHash, Instant now) throws StoreException {
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(now, "now");
    String what = "consuming token " + jti;
    ConsumeOutcome settled = db.read(what, c -> refusal(load(c, jti, ""), tokenHash, now));
    if (settled != null) {
      return settled;
    }
    return db.write(what, c -> {
      ConsumeOutcome refused = refusal(load(c, jti, db.dialect().lockingRead()), tokenHash, now);
      if (refused != null) {
        return refused;
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE token_ledger SET uses_consumed = uses_consumed + 1"
          + " WHERE jti = ? AND uses_consumed < allowed_uses")) {
        s.setString(1, jti.value());
        // The row is locked and was checked; the condition is a second guard, not the mechanism.
        return s.executeUpdate() == 1 ? ConsumeOutcome.CONSUMED : ConsumeOutcome.ALREADY_USED;
      }
    });
  }

  /** @return the refusal in the contract's order (unknown, expired, used up), or null if a use is left */
  private static ConsumeOutcome refusal(LedgerEntry entry, SecretHash presented, Instant now) {
    // SecretHash.equals compares in constant time.
    if (entry == null || !entry.tokenHash().equals(presented)) {
      return ConsumeOutcome.UNKNOWN;
    }
    if (!now.isBefore(entry.expiresAt())) {
      return ConsumeOutcome.EXPIRED;
    }
    if (entry.usesRemaining() < 1) {
      return ConsumeOutcome.ALREADY_USED;
    }
    return null;
  }

  @Override
  public Optional<LedgerEntry> find(Jti jti) throws StoreException {
    Objects.requireNonNull(jti, "jti");
    return db.read("looking up token " + jti, c -> Optional.ofNullable(load(c, jti, "")));
  }

  private static LedgerEntry load(Connection c, Jti jti, String suffix) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM token_ledger WHERE jti = ?" + suffix)) {
      s.setString(1, jti.value());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new LedgerEntry(Jti.parse(rs.getString("jti")), rs.getString("subject"),
            Role.parse(rs.getString("role")), Instants.read(rs, "issued_at"), Instants.read(rs, "expires_at"),
            rs.getInt("allowed_uses"), rs.getInt("uses_consumed"), SecretHash.fromStored(rs.getBytes("token_hash")));
      }
    }
  }
}
