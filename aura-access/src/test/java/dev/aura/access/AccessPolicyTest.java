package dev.aura.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.revocation.RevocationList;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.testkit.InMemoryStores;
import dev.aura.testkit.ManualClock;
import dev.aura.token.RevocationCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccessPolicyTest {
  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
  private static final WorkspaceName WIDGET = WorkspaceName.parse("widget");
  private static final WorkspaceName GADGET = WorkspaceName.parse("gadget");

  private ManualClock clock;
  private RevocationList revocations;
  private AccessPolicy policy;

  @BeforeEach
  void setUp() throws Exception {
    clock = ManualClock.startingAt(START);
    InMemoryStores stores = InMemoryStores.create();
    revocations = RevocationList.open(stores.revocationStore(), stores.auditLog(), clock);
    policy = AccessPolicy.of(revocations, clock);
  }

  private static PeerGrant grant(String peer, String subject, Role role, Set<WorkspaceName> workspaces) {
    return PeerGrant.of(PeerId.parse(peer), subject, role, START.minusSeconds(60), workspaces);
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"MEMBER", "ADMIN"})
  void pushPullSee_byMemberAndAdmin_areAllowed(Role role) {
    PeerGrant g = grant("peer_0a1b2c3d", "alice@acme.com", role, Set.of());
    for (SyncAction action : SyncAction.values()) {
      assertThat(policy.decide(g, action, WIDGET).isAllowed()).as(action.name()).isTrue();
    }
  }

  @Test
  void push_byReadOnly_isDeniedAsRoleNotPermitted_butPullAndSeeAreAllowed() {
    PeerGrant carol = grant("peer_2c3d4e5f", "carol@contractor.com", Role.READ_ONLY, Set.of());

    AccessDecision push = policy.decide(carol, SyncAction.PUSH, WIDGET);

    assertThat(push.isAllowed()).isFalse();
    assertThat(push.denial()).contains(AccessDecision.Denial.ROLE_NOT_PERMITTED);
    assertThat(push.message()).hasValueSatisfying(m -> assertThat(m)
        .startsWith("role not permitted: carol@contractor.com is read-only").contains("widget"));
    assertThat(policy.decide(carol, SyncAction.PULL, WIDGET).isAllowed()).isTrue();
    assertThat(policy.decide(carol, SyncAction.SEE, WIDGET).isAllowed()).isTrue();
  }

  @Test
  void anyAction_onAWorkspaceOutsideTheGrant_isDeniedAsWorkspaceNotPermitted() {
    PeerGrant bob = grant("peer_1b2c3d4e", "bob@acme.com", Role.ADMIN, Set.of(GADGET));

    for (SyncAction action : SyncAction.values()) {
      AccessDecision d = policy.decide(bob, action, WIDGET);
      assertThat(d.denial()).as(action.name()).contains(AccessDecision.Denial.WORKSPACE_NOT_PERMITTED);
      assertThat(d.message().orElseThrow()).isEqualTo(
          "workspace not permitted: peer_1b2c3d4e (bob@acme.com) may use only gadget, not widget");
    }
    assertThat(policy.decide(bob, SyncAction.PUSH, GADGET).isAllowed()).isTrue();
  }

  @Test
  void everyAction_afterThePeerIsRevoked_isDeniedAsPeerRevoked_fromThatInstant() throws Exception {
    PeerGrant carol = grant("peer_2c3d4e5f", "carol@contractor.com", Role.MEMBER, Set.of());
    assertThat(policy.decide(carol, SyncAction.PULL, WIDGET).isAllowed()).isTrue();

    revocations.revoke(RevocationTarget.fromArgument("peer_2c3d4e5f"), "admin@acme.com", null);

    for (SyncAction action : SyncAction.values()) {
      AccessDecision d = policy.decide(carol, action, WIDGET);
      assertThat(d.denial()).contains(AccessDecision.Denial.REVOKED);
      assertThat(d.message().orElseThrow()).startsWith("peer revoked: ");
    }
  }

  @Test
  void subjectRevocation_refusesEveryPeerOfThatSubject_butNotOthers() throws Exception {
    revocations.revoke(RevocationTarget.fromArgument("carol@contractor.com"), "admin@acme.com", null);

    assertThat(policy.decide(grant("peer_2c3d4e5f", "carol@contractor.com", Role.MEMBER, Set.of()),
        SyncAction.PULL, WIDGET).denial()).contains(AccessDecision.Denial.REVOKED);
    assertThat(policy.decide(grant("peer_0a1b2c3d", "alice@acme.com", Role.MEMBER, Set.of()),
        SyncAction.PULL, WIDGET).isAllowed()).isTrue();
  }

  @Test
  void revocationIsCheckedBeforeRoleAndWorkspace() throws Exception {
    PeerGrant carol = grant("peer_2c3d4e5f", "carol@contractor.com", Role.READ_ONLY, Set.of(GADGET));
    revocations.revoke(RevocationTarget.fromArgument("peer_2c3d4e5f"), "admin@acme.com", null);

    assertThat(policy.decide(carol, SyncAction.PUSH, WIDGET).denial()).contains(AccessDecision.Denial.REVOKED);
  }

  @Test
  void anIdentity_isHonouredUntilJustBeforeItsExpiry_andDeniedAtIt() {
    Instant expiry = START.plus(Duration.ofHours(1));
    PeerGrant g = new PeerGrant(PeerId.parse("peer_0a1b2c3d"), "alice@acme.com", Role.MEMBER, START,
        Set.of(), expiry);

    clock.set(expiry.minusMillis(1));
    assertThat(policy.decide(g, SyncAction.PULL, WIDGET).isAllowed()).isTrue();
    clock.set(expiry);
    AccessDecision d = policy.decide(g, SyncAction.PULL, WIDGET);
    assertThat(d.denial()).contains(AccessDecision.Denial.EXPIRED);
    assertThat(d.message().orElseThrow()).startsWith("token expired: ");
  }

  @Test
  void orThrow_carriesTheDenialAndMessage() {
    PeerGrant carol = grant("peer_2c3d4e5f", "carol@contractor.com", Role.READ_ONLY, Set.of());

    assertThatThrownBy(() -> policy.decide(carol, SyncAction.PUSH, WIDGET).orThrow())
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.denial())
            .isEqualTo(AccessDecision.Denial.ROLE_NOT_PERMITTED))
        .hasMessageStartingWith("role not permitted");
  }

  @Test
  void aPolicy_needsARevocationDecision_andAClock() {
    assertThatThrownBy(() -> AccessPolicy.of(null, clock)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AccessPolicy.of(RevocationCheck.none(), null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void denialCodes_areStable() {
    assertThat(AccessDecision.Denial.ROLE_NOT_PERMITTED.code()).isEqualTo("role_not_permitted");
    assertThat(AccessDecision.Denial.REVOKED.text()).isEqualTo("peer revoked");
    assertThat(AccessDecision.Denial.WORKSPACE_NOT_PERMITTED.text()).isEqualTo("workspace not permitted");
  }
}
