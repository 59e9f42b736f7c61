package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import java.time.Instant;
import java.util.Set;

/**
 * A peer identity that passed every check of a {@link PeerIdentityVerifier}, including the binding to the key
 * of the TLS connection it came over. Only the verifier creates one, so code that accepts this type (the
 * access policy on a direct connection: {@code PeerGrant.of(identity)} in {@code aura-access}) knows the
 * other side is that peer.
 *
 * <pre>{@code
 * VerifiedPeerIdentity them = verifier.verify(presentedIdentity, PeerTls.presentedFingerprint(session));
 * AccessDecision d = policy.decide(PeerGrant.of(them), SyncAction.PUSH, workspace);
 * }</pre>
 */
public final class VerifiedPeerIdentity {
  private final PeerId peer;
  private final String subject;
  private final Role role;
  private final Set<WorkspaceName> workspaces;
  private final MothershipId issuer;
  private final Instant joinedAt;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final Jti jti;
  private final Fingerprint keyFingerprint;
  private final String kid;

  VerifiedPeerIdentity(PeerId peer, String subject, Role role, Set<WorkspaceName> workspaces, MothershipId issuer,
      Instant joinedAt, Instant issuedAt, Instant expiresAt, Jti jti, Fingerprint keyFingerprint, String kid) {
    this.peer = peer;
    this.subject = subject;
    this.role = role;
    this.workspaces = workspaces;
    this.issuer = issuer;
    this.joinedAt = joinedAt;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.jti = jti;
    this.keyFingerprint = keyFingerprint;
    this.kid = kid;
  }

  /** @return the peer's id, the {@code sub} claim */
  public PeerId peer() {
    return peer;
  }

  /** @return the subject the peer joined as, the {@code subject} claim */
  public String subject() {
    return subject;
  }

  /** @return its role */
  public Role role() {
    return role;
  }

  /** @return the workspaces it may use, in name order; empty means every workspace. Unmodifiable */
  public Set<WorkspaceName> workspaces() {
    return workspaces;
  }

  /** @return the Mothership that signed it, the {@code iss} claim */
  public MothershipId issuer() {
    return issuer;
  }

  /** @return when the peer joined, the {@code joined_at} claim; a subject revocation after it refuses the peer */
  public Instant joinedAt() {
    return joinedAt;
  }

  /** @return the {@code iat} claim */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** @return the {@code exp} claim; the identity holds strictly before it */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** @return the identity's own id, the {@code jti} claim; revoking it refuses this identity only */
  public Jti jti() {
    return jti;
  }

  /**
   * @return the SHA-256 fingerprint of the certificate (and so the key) the identity is bound to, from its
   *     {@code cnf} {@code x5t#S256} claim; equal to the one the TLS connection presented
   */
  public Fingerprint keyFingerprint() {
    return keyFingerprint;
  }

  /** @return the id of the Mothership key that signed it */
  public String kid() {
    return kid;
  }

  /** @return whether the identity may use {@code workspace} */
  public boolean covers(WorkspaceName workspace) {
    return workspaces.isEmpty() || workspaces.contains(workspace);
  }

  @Override
  public String toString() {
    return "VerifiedPeerIdentity[" + peer + ", subject=" + subject + ", role=" + role
        + (workspaces.isEmpty() ? "" : ", workspaces=" + workspaces) + ", key=" + keyFingerprint.abbreviated(4)
        + ", expiresAt=" + expiresAt + "]";
  }
}
