package dev.aura.token;

import dev.aura.spi.PeerId;
import java.time.Instant;

/**
 * A peer whose refresh credential was accepted: signed by this Mothership, of the refresh type, current,
 * unexpired, and not revoked. Only {@link RefreshCredentials} creates one.
 */
public final class AuthenticatedPeer {
  private final PeerId peer;
  private final String subject;
  private final dev.aura.spi.Role role;
  private final Instant joinedAt;
  private final String credentialId;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final Instant rotateAfter;

  AuthenticatedPeer(PeerId peer, String subject, dev.aura.spi.Role role, Instant joinedAt, String credentialId,
      Instant issuedAt, Instant expiresAt, Instant rotateAfter) {
    this.peer = peer;
    this.subject = subject;
    this.role = role;
    this.joinedAt = joinedAt;
    this.credentialId = credentialId;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.rotateAfter = rotateAfter;
  }

  /** @return the peer */
  public PeerId peer() {
    return peer;
  }

  /** @return the subject it joined as */
  public String subject() {
    return subject;
  }

  /** @return its role */
  public dev.aura.spi.Role role() {
    return role;
  }

  /** @return when it joined */
  public Instant joinedAt() {
    return joinedAt;
  }

  /** @return the id of the credential it presented */
  public String credentialId() {
    return credentialId;
  }

  /** @return when that credential was issued */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** @return when that credential expires */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** @return whether the credential is past half its life at {@code now} and should be rotated */
  public boolean shouldRotate(Instant now) {
    return !now.isBefore(rotateAfter);
  }

  @Override
  public String toString() {
    return "AuthenticatedPeer[" + peer + ", subject=" + subject + ", role=" + role + "]";
  }
}
