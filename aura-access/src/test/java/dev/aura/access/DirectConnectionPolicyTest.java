package dev.aura.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.revocation.RevocationList;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.testkit.JoinTokenKit;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.VerifiedPeerIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The receiving peer of a direct connection decides with the same policy as the Mothership. */
class DirectConnectionPolicyTest {
  private static final WorkspaceName WIDGET = WorkspaceName.parse("widget");
  private static final Fingerprint CAROL_KEY = Fingerprint.ofCertificate("carol".getBytes(StandardCharsets.UTF_8));

  private final JoinTokenKit kit = JoinTokenKit.create();
  private final PeerIdentityVerifier verifier = kit.peerIdentityVerifierBuilder().ownWorkspaces(Set::of)
      .withoutRevocationCheck().build();

  private VerifiedPeerIdentity carol(Role role) throws Exception {
    return verifier.verify(kit.peerIdentity(PeerId.parse("peer_2c3d4e5f"), "carol@contractor.com", role,
        Set.of(WIDGET), CAROL_KEY).compact(), CAROL_KEY);
  }

  @Test
  void pushFromReadOnlyPeer_overDirectConnection_isRefusedByTheReceivingPeer() throws Exception {
    PeerGrant grant = PeerGrant.of(carol(Role.READ_ONLY));
    AccessPolicy policy = AccessPolicy.of(dev.aura.token.RevocationCheck.none(), kit.clock());

    AccessDecision push = policy.decide(grant, SyncAction.PUSH, WIDGET);

    assertThat(push.denial()).contains(AccessDecision.Denial.ROLE_NOT_PERMITTED);
    assertThat(push.message()).contains("role not permitted: carol@contractor.com is read-only: it may pull from"
        + " widget but not push to it");
    assertThat(policy.decide(grant, SyncAction.PULL, WIDGET).isAllowed()).isTrue();
    assertThat(policy.decide(grant, SyncAction.PUSH, WorkspaceName.parse("gadget")).denial())
        .contains(AccessDecision.Denial.WORKSPACE_NOT_PERMITTED);
  }

  @Test
  void grantFromIdentity_endsWhenTheIdentityExpires_andWhenThePeerIsRevoked() throws Exception {
    PeerGrant grant = PeerGrant.of(carol(Role.MEMBER));
    assertThat(grant.expiresAt()).isEqualTo(JoinTokenKit.START.plus(JoinTokenKit.PEER_REFRESH_PERIOD));
    RevocationList list = RevocationList.open(kit.stores().revocationStore(), kit.stores().auditLog(), kit.clock());
    AccessPolicy policy = AccessPolicy.of(list, kit.clock());
    assertThat(policy.decide(grant, SyncAction.PUSH, WIDGET).isAllowed()).isTrue();

    kit.clock().advance(Duration.ofSeconds(1));
    list.revoke(RevocationTarget.fromArgument("peer_2c3d4e5f"), "admin@acme.com", "left");
    assertThat(policy.decide(grant, SyncAction.PULL, WIDGET).denial()).contains(AccessDecision.Denial.REVOKED);

    AccessPolicy unrevoked = AccessPolicy.of(dev.aura.token.RevocationCheck.none(), kit.clock());
    kit.clock().set(grant.expiresAt());
    assertThat(unrevoked.decide(grant, SyncAction.PULL, WIDGET).denial()).contains(AccessDecision.Denial.EXPIRED);
  }
}
