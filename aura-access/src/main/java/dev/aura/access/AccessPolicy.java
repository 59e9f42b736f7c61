package dev.aura.access;

import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.RevocationCheck;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one decision of whether a peer may {@link SyncAction#SEE see}, {@link SyncAction#PULL pull} from or
 * {@link SyncAction#PUSH push} to a workspace. The Mothership calls it for every event it accepts or relays
 * and every blob it serves; peers call the same policy on direct connections.
 *
 * <p>In order (the first that applies decides):
 * <ol>
 *   <li>the identity has expired ({@code now >= expiresAt}): {@code token expired};
 *   <li>the revocation list refuses the peer (by peer id, or its subject for peers that joined up to the
 *       revocation's second): {@code peer revoked};
 *   <li>the peer is limited to other workspaces: {@code workspace not permitted};
 *   <li>the action is a push and the role is {@code read-only}: {@code role not permitted}.
 * </ol>
 * {@code member} and {@code admin} may do everything with the workspaces their grant covers.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.of(revocationList, Clock.systemUTC());
 * AccessDecision d = policy.decide(grant, SyncAction.PUSH, WorkspaceName.parse("widget"));
 * if (!d.isAllowed()) refuse(d.denial().get().code(), d.message().get());
 * }</pre>
 *
 * <p>Thread-safe when the revocation check is (both of Aura's are).
 */
public final class AccessPolicy {
  private final RevocationCheck revocations;
  private final Clock clock;

  private AccessPolicy(RevocationCheck revocations, Clock clock) {
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param revocations the Mothership's revocation list, or a peer's verified copy of it; there is no
   *     policy without one ({@link RevocationCheck#none()} is the explicit, greppable choice)
   * @param clock decides whether an identity has expired
   */
  public static AccessPolicy of(RevocationCheck revocations, Clock clock) {
    return new AccessPolicy(revocations, clock);
  }

  /** @return the decision for {@code grant} doing {@code action} with {@code workspace} now */
  public AccessDecision decide(PeerGrant grant, SyncAction action, WorkspaceName workspace) {
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(workspace, "workspace");
    Instant now = clock.instant();
    if (!now.isBefore(grant.expiresAt())) {
      return AccessDecision.denied(AccessDecision.Denial.EXPIRED, "the identity of " + grant.peer()
          + " expired at " + grant.expiresAt() + " (now " + now + ")");
    }
    Optional<String> revoked = revocations.revocationOfPeer(grant.peer(), grant.subject(), grant.joinedAt());
    if (revoked.isPresent()) {
      return AccessDecision.denied(AccessDecision.Denial.REVOKED, revoked.get());
    }
    if (!grant.covers(workspace)) {
      return AccessDecision.denied(AccessDecision.Denial.WORKSPACE_NOT_PERMITTED, grant.peer() + " ("
          + grant.subject() + ") may use only " + grant.workspaces().stream().map(WorkspaceName::value).sorted()
          .collect(Collectors.joining(", ")) + ", not " + workspace);
    }
    if (action == SyncAction.PUSH && grant.role() == Role.READ_ONLY) {
      return AccessDecision.denied(AccessDecision.Denial.ROLE_NOT_PERMITTED, grant.subject()
          + " is read-only: it may pull from " + workspace + " but not push to it");
    }
    return AccessDecision.allowed();
  }
}
