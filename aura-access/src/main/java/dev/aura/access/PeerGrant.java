package dev.aura.access;

import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.VerifiedPeerIdentity;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified identity grants a peer: who it is, its role, the workspaces it is limited to and until
 * when the identity holds. Built only from something already verified (a refresh credential the Mothership
 * authenticated and its peer record, or a peer identity signed by the Mothership).
 *
 * @param peer the peer's id
 * @param subject the subject it joined as
 * @param role its role
 * @param joinedAt when it joined (a subject revocation after this instant refuses it)
 * @param workspaces the workspaces it may use; empty means every workspace of the Mothership
 * @param expiresAt when the identity stops holding; {@link Instant#MAX} when another check bounds it
 */
public record PeerGrant(PeerId peer, String subject, Role role, Instant joinedAt, Set<WorkspaceName> workspaces,
    Instant expiresAt) {

  /** Checks nulls and copies the workspace set. */
  public PeerGrant {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedAt, "joinedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    workspaces = Set.copyOf(workspaces);
  }

  /** A grant whose lifetime another check bounds (the Mothership's own authentication of the credential). */
  public static PeerGrant of(PeerId peer, String subject, Role role, Instant joinedAt,
      Set<WorkspaceName> workspaces) {
    return new PeerGrant(peer, subject, role, joinedAt, workspaces, Instant.MAX);
  }

  /**
   * What a peer identity verified on a direct connection grants, until the identity expires: the receiving
   * peer decides with the same policy as the Mothership, so a read-only peer's pushes are refused there too.
   *
   * <pre>{@code
   * VerifiedPeerIdentity them = verifier.verify(identity, PeerTls.presentedFingerprint(session));
   * policy.decide(PeerGrant.of(them), SyncAction.PUSH, workspace).orThrow();
   * }</pre>
   */
  public static PeerGrant of(VerifiedPeerIdentity identity) {
    return new PeerGrant(identity.peer(), identity.subject(), identity.role(), identity.joinedAt(),
        identity.workspaces(), identity.expiresAt());
  }

  /** @return whether the grant names {@code workspace} (or every workspace) */
  public boolean covers(WorkspaceName workspace) {
    return workspaces.isEmpty() || workspaces.contains(workspace);
  }
}
