package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.MothershipId;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import dev.aura.spi.WorkspaceName;
import java.time.Instant;
import java.util.Set;

/**
 * A join token that passed every check of a {@link JoinTokenValidator}. Only the validator creates one, so
 * code that accepts this type (revocation, role checks, peer registration) knows it was verified.
 */
public final class VerifiedJoinToken {
  private final Jti jti;
  private final String subject;
  private final Role role;
  private final MothershipId issuer;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final int uses;
  private final Fingerprint fingerprint;
  private final String kid;
  private final Set<WorkspaceName> workspaces;
  private final boolean consumed;
  private final SecretHash tokenHash;

  VerifiedJoinToken(Jti jti, String subject, Role role, MothershipId issuer, Instant issuedAt,
      Instant expiresAt, int uses, Fingerprint fingerprint, String kid, Set<WorkspaceName> workspaces,
      boolean consumed, SecretHash tokenHash) {
    this.jti = jti;
    this.subject = subject;
    this.role = role;
    this.issuer = issuer;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.uses = uses;
    this.fingerprint = fingerprint;
    this.kid = kid;
    this.workspaces = workspaces;
    this.consumed = consumed;
    this.tokenHash = tokenHash;
  }

  VerifiedJoinToken asConsumed() {
    return new VerifiedJoinToken(jti, subject, role, issuer, issuedAt, expiresAt, uses, fingerprint, kid, workspaces,
        true, tokenHash);
  }

  /** The hash of the token's text, which the ledger compares; null when this was not made from a token. */
  SecretHash tokenHash() {
    return tokenHash;
  }

  /** @return the token's id */
  public Jti jti() {
    return jti;
  }

  /** @return the {@code sub} claim */
  public String subject() {
    return subject;
  }

  /** @return the {@code role} claim */
  public Role role() {
    return role;
  }

  /** @return the {@code iss} claim */
  public MothershipId issuer() {
    return issuer;
  }

  /** @return the {@code iat} claim */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** @return the {@code exp} claim */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** @return how many joins it allows (1 for one-shot) */
  public int uses() {
    return uses;
  }

  /** @return whether it is one-shot */
  public boolean oneShot() {
    return uses == 1;
  }

  /** @return the pinned TLS fingerprint */
  public Fingerprint fingerprint() {
    return fingerprint;
  }

  /** @return the id of the key that signed it */
  public String kid() {
    return kid;
  }

  /**
   * @return the {@code workspaces} claim: the workspaces a peer joining with this token may use, in name
   *     order; empty means every workspace (the claim was absent). Unmodifiable
   */
  public Set<WorkspaceName> workspaces() {
    return workspaces;
  }

  /**
   * @return whether a use was consumed in the ledger ({@link JoinTokenValidator#admit} or
   *     {@link JoinTokenValidator#consume})
   */
  public boolean consumed() {
    return consumed;
  }

  @Override
  public String toString() {
    return "VerifiedJoinToken[jti=" + jti + ", subject=" + subject + ", role=" + role + ", expiresAt="
        + expiresAt + ", uses=" + uses + (workspaces.isEmpty() ? "" : ", workspaces=" + workspaces)
        + ", consumed=" + consumed + "]";
  }
}
