package dev.aura.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What the Mothership keeps about an issued join token: its metadata and a hash, never the token itself.
 *
 * @param jti the token's id
 * @param subject the {@code sub} claim
 * @param role the {@code role} claim
 * @param issuedAt the {@code iat} claim
 * @param expiresAt the {@code exp} claim
 * @param allowedUses how many joins the token allows, 1 for a one-shot token
 * @param usesConsumed how many joins have consumed it so far, 0 when recorded
 * @param tokenHash SHA-256 of the compact token
 */
public record LedgerEntry(
    Jti jti,
    String subject,
    Role role,
    Instant issuedAt,
    Instant expiresAt,
    int allowedUses,
    int usesConsumed,
    SecretHash tokenHash) {

  /** @throws IllegalArgumentException for counts out of range or an expiry not after issuance */
  public LedgerEntry {
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(tokenHash, "tokenHash");
    if (allowedUses < 1) {
      throw new IllegalArgumentException("allowedUses must be at least 1, got " + allowedUses);
    }
    if (usesConsumed < 0 || usesConsumed > allowedUses) {
      throw new IllegalArgumentException(
          "usesConsumed must be within 0.." + allowedUses + ", got " + usesConsumed);
    }
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
  }

  /** A freshly issued token: nothing consumed yet. */
  public static LedgerEntry issued(Jti jti, String subject, Role role, Instant issuedAt, Instant expiresAt,
      int allowedUses, SecretHash tokenHash) {
    return new LedgerEntry(jti, subject, role, issuedAt, expiresAt, allowedUses, 0, tokenHash);
  }

  /** @return uses left */
  public int usesRemaining() {
    return allowedUses - usesConsumed;
  }

  /** @return whether the token was issued as one-shot */
  public boolean oneShot() {
    return allowedUses == 1;
  }
}
