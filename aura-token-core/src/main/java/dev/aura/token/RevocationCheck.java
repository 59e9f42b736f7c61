package dev.aura.token;

import dev.aura.spi.PeerId;
import java.time.Instant;
import java.util.Optional;

/**
 * Consulted on every join and every refresh. Implemented by the revocation list ({@code aura-revocation});
 * {@link #none()} is the explicit choice of no revocation at all.
 *
 * <p>Implementations must be thread-safe and fast (called on every handshake) and must not throw.
 */
public interface RevocationCheck {
  /**
   * @return a description of the revocation that refuses this join token (by jti, or by subject for a token
   *     issued before the subject's revocation), or empty if none applies
   */
  Optional<String> revocationOf(VerifiedJoinToken token);

  /**
   * @param peer the peer presenting a refresh credential
   * @param subject the subject it joined as
   * @param joinedAt when it joined; a subject revocation after this instant refuses it
   * @return a description of the revocation that refuses this peer, or empty
   */
  Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt);

  /**
   * The check of a peer identity shown on a direct connection ({@link PeerIdentityVerifier}): the peer as
   * in {@link #revocationOfPeer} (its id, or its subject for a peer that joined up to the revocation's
   * second), then the identity's own {@code jti} as a token id, as in {@link #revocationOf}.
   *
   * <p>The default composes the two methods above, so every implementation covers all three kinds.
   *
   * @param identity an identity whose signature, binding and times already verified
   * @return a description of the revocation that refuses it, or empty
   */
  default Optional<String> revocationOfIdentity(VerifiedPeerIdentity identity) {
    Optional<String> byPeer = revocationOfPeer(identity.peer(), identity.subject(), identity.joinedAt());
    if (byPeer.isPresent()) {
      return byPeer;
    }
    // the identity's jti is a token id like a join token's; the subject cut-off is the join time, as above
    return revocationOf(new VerifiedJoinToken(identity.jti(), identity.subject(), identity.role(),
        identity.issuer(), identity.joinedAt(), identity.expiresAt(), 1, identity.keyFingerprint(),
        identity.kid(), identity.workspaces(), false, null));
  }

  /** @return a check that never refuses; for deployments or tests without revocation */
  static RevocationCheck none() {
    return new RevocationCheck() {
      @Override
      public Optional<String> revocationOf(VerifiedJoinToken token) {
        return Optional.empty();
      }

      @Override
      public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
        return Optional.empty();
      }
    };
  }
}
