package dev.aura.app.server;

import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import java.util.Optional;

/**
 * Who called the admin API: the local admin (the CLI on the Mothership host, with the admin credential) or a
 * joined peer (with its refresh credential). Admins may do everything; members and read-only peers may only
 * list peers.
 *
 * @param actor the name written to the audit log ({@code local-admin} or the peer's subject)
 * @param role the role
 * @param peer the peer, or null for the local admin
 */
public record Principal(String actor, Role role, PeerId peer) {
  /** The audit actor of the local admin. */
  public static final String LOCAL_ADMIN = "local-admin";

  /** @return the local admin */
  public static Principal localAdmin() {
    return new Principal(LOCAL_ADMIN, Role.ADMIN, null);
  }

  /** @return whether this is the local admin */
  public boolean isLocalAdmin() {
    return peer == null;
  }

  /** @return the peer, for a peer */
  public Optional<PeerId> peerIfAny() {
    return Optional.ofNullable(peer);
  }

  /** @throws ApiException 403 unless this principal is an admin */
  public void requireAdmin(String operation) throws ApiException {
    if (role != Role.ADMIN) {
      throw ApiException.forbidden(operation + " needs the admin role; " + actor + " (" + peer + ") is "
          + role.wireName());
    }
  }
}
