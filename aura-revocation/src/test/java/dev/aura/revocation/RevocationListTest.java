package dev.aura.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.aura.revocation.Refusals.refusal;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemoryAuditLog;
import dev.aura.testkit.InMemoryRevocationStore;
import dev.aura.testkit.ManualClock;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.IssuedRefreshCredential;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RevocationListTest {
  private static final PeerId ALICE_PEER = PeerId.parse("peer_0a1b2c3d");
  private static final PeerId BOB_PEER = PeerId.parse("peer_1b2c3d4e");

  private final TestMothership m;

  RevocationListTest() throws StoreException {
    m = new TestMothership();
  }

  @Test
  void revokeByJti_isRefusedByTheValidatorAsRevoked_whileOtherTokensWork() throws Exception {
    IssuedJoinToken revoked = m.issue("alice@acme.com");
    IssuedJoinToken other = m.issue("alice@acme.com");

    Revocation r = m.list.revoke(RevocationTarget.jti(revoked.jti()), TestMothership.ADMIN, "leaked in a ticket");

    TokenRejectedException e = refusal(() -> m.validator(m.list).admit(revoked.token()));
    assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(e.getMessage()).startsWith("revoked: token " + revoked.jti() + " was revoked at ")
        .contains("revocation version 1").doesNotContain("leaked");
    assertThat(m.validator(m.list).admit(other.token()).jti()).isEqualTo(other.jti());
    assertThat(r.version()).isEqualTo(1);
    assertThat(m.list.find(RevocationTarget.jti(revoked.jti()))).contains(r);
  }

  @Test
  void revokeByPeer_isRefusedOnRefreshAsRevoked_whileOtherPeersRefresh() throws Exception {
    IssuedRefreshCredential alice = m.join(ALICE_PEER, "alice@acme.com");
    IssuedRefreshCredential bob = m.join(BOB_PEER, "bob@acme.com");

    m.list.revoke(RevocationTarget.fromArgument("peer_0a1b2c3d"), TestMothership.ADMIN, null);

    TokenRejectedException e = refusal(() -> m.credentials(m.list).authenticate(alice.credential()));
    assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(e.getMessage()).startsWith("revoked: peer peer_0a1b2c3d was revoked at 2026-04-21T09:00:00Z");
    assertThat(m.credentials(m.list).authenticate(bob.credential()).peer()).isEqualTo(BOB_PEER);
  }

  @Test
  void revokeBySubject_refusesItsTokensAndPeers_butNotOtherSubjects() throws Exception {
    IssuedJoinToken aliceToken = m.issue("alice@acme.com");
    IssuedJoinToken bobToken = m.issue("bob@acme.com");
    IssuedRefreshCredential alicePeer = m.join(ALICE_PEER, "alice@acme.com");
    m.clock.advance(Duration.ofMinutes(5));

    m.list.revoke(RevocationTarget.fromArgument("alice@acme.com"), TestMothership.ADMIN, null);

    TokenRejectedException join = refusal(() -> m.validator(m.list).admit(aliceToken.token()));
    assertThat(join.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(join.getMessage()).startsWith("revoked: subject alice@acme.com was revoked at 2026-04-21T09:05:00Z")
        .endsWith("this one was issued at 2026-04-21T09:00:00Z");
    TokenRejectedException refresh = refusal(() -> m.credentials(m.list).authenticate(alicePeer.credential()));
    assertThat(refresh.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(refresh.getMessage()).contains("peer_0a1b2c3d joined at 2026-04-21T09:00:00Z");
    assertThat(m.validator(m.list).admit(bobToken.token()).subject()).isEqualTo("bob@acme.com");
  }

  @Test
  void revokeBySubject_thenReissueOneSecondLater_newTokenAndPeerWork_oldOnesDoNot() throws Exception {
    IssuedJoinToken old = m.issue("alice@acme.com");
    IssuedRefreshCredential oldPeer = m.join(ALICE_PEER, "alice@acme.com");
    m.clock.advance(Duration.ofMillis(400));
    Revocation r = m.list.revoke(RevocationTarget.subject("alice@acme.com"), TestMothership.ADMIN, null);
    assertThat(r.unaffectedFrom()).isEqualTo(TestMothership.START.plusSeconds(1));

    m.clock.advance(Duration.ofSeconds(1));
    IssuedJoinToken fresh = m.issue("alice@acme.com");
    IssuedRefreshCredential freshPeer = m.join(PeerId.parse("peer_00000002"), "alice@acme.com");

    assertThat(m.validator(m.list).admit(fresh.token()).jti()).isEqualTo(fresh.jti());
    assertThat(m.credentials(m.list).authenticate(freshPeer.credential()).subject()).isEqualTo("alice@acme.com");
    assertThat(refusal(() -> m.validator(m.list).admit(old.token())).reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(refusal(() -> m.credentials(m.list).authenticate(oldPeer.credential())).reason())
        .isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void revokeBySubject_tokenIssuedLaterInTheSameSecond_isRefused_becauseIatHasWholeSeconds() throws Exception {
    m.clock.advance(Duration.ofMillis(200));
    m.list.revoke(RevocationTarget.subject("alice@acme.com"), TestMothership.ADMIN, null);
    m.clock.advance(Duration.ofMillis(700)); // 09:00:00.900, still the revocation's second
    IssuedJoinToken sameSecond = m.issue("alice@acme.com");

    TokenRejectedException e = refusal(() -> m.validator(m.list).admit(sameSecond.token()));

    assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(e.getMessage()).contains("tokens issued up to that second are refused");
    m.clock.advance(Duration.ofMillis(100)); // 09:00:01.000: the next second
    assertThat(m.validator(m.list).admit(m.issue("alice@acme.com").token()).subject()).isEqualTo("alice@acme.com");
  }

  @Test
  void unrevokePeer_letsItRefreshAgain_andIsPersistedAndAudited() throws Exception {
    IssuedRefreshCredential alice = m.join(ALICE_PEER, "alice@acme.com");
    Revocation r = m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    m.clock.advance(Duration.ofMinutes(1));

    assertThat(m.list.unrevoke(RevocationTarget.peer(ALICE_PEER), "ops@acme.com", "revoked by mistake"))
        .contains(r);

    assertThat(m.credentials(m.list).authenticate(alice.credential()).peer()).isEqualTo(ALICE_PEER);
    assertThat(m.list.version()).isEqualTo(2);
    assertThat(m.store.since(0, 10)).extracting(e -> e.change().action())
        .containsExactly(RevocationChange.Action.REVOKE, RevocationChange.Action.UNREVOKE);
    assertThat(m.auditLines()).containsExactly("token_revoked peer_0a1b2c3d by admin@acme.com",
        "token_unrevoked peer_0a1b2c3d by ops@acme.com");
  }

  @Test
  void unrevoke_ofATargetNotRevoked_storesAndAuditsNothing() throws Exception {
    assertThat(m.list.unrevoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null)).isEmpty();

    assertThat(m.store.latestVersion()).isZero();
    assertThat(m.auditLines()).isEmpty();
  }

  @Test
  void unrevokeSubject_makesItsOldTokensAcceptableAgain() throws Exception {
    IssuedJoinToken old = m.issue("alice@acme.com");
    m.list.revoke(RevocationTarget.subject("alice@acme.com"), TestMothership.ADMIN, null);
    m.list.unrevoke(RevocationTarget.subject("alice@acme.com"), TestMothership.ADMIN, null);

    assertThat(m.validator(m.list).admit(old.token()).jti()).isEqualTo(old.jti());
  }

  @Test
  void revoke_isDurableInTheStoreBeforeItReturns_andAuditedInAnIntactChain() throws Exception {
    m.list.revoke(RevocationTarget.fromArgument("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3"), TestMothership.ADMIN,
        "leaked");
    m.list.revoke(RevocationTarget.fromArgument("carol@contractor.com"), TestMothership.ADMIN, null);

    List<RevocationEntry> stored = m.store.since(0, 10);
    assertThat(stored).hasSize(2);
    assertThat(stored.get(0).change().actor()).isEqualTo(TestMothership.ADMIN);
    assertThat(stored.get(0).change().reasonIfAny()).contains("leaked");
    assertThat(stored.get(0).change().at()).isEqualTo(TestMothership.START);
    assertThat(m.auditLines()).containsExactly("token_revoked jt_01HYXT8K3PQ7V2M4N6R8S0T1W3 by admin@acme.com",
        "token_revoked carol@contractor.com by admin@acme.com");
    assertThat(AuditChain.verify(m.audit).isIntact()).isTrue();
  }

  @Test
  void revoke_whenTheStoreFails_throwsAndNothingIsInForceOrAudited() throws Exception {
    RevocationStore broken = new FailingStore(new InMemoryRevocationStore());
    TestMothership failing = new TestMothership(ManualClock.startingAt(TestMothership.START), broken,
        new InMemoryAuditLog());
    ((FailingStore) broken).failAppends = true;

    assertThatThrownBy(() -> failing.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null))
        .isInstanceOf(StoreException.class).hasMessage("database unavailable");

    assertThat(failing.list.find(RevocationTarget.peer(ALICE_PEER))).isEmpty();
    assertThat(failing.list.version()).isZero();
    assertThat(failing.auditLines()).isEmpty();
  }

  @Test
  void revoke_whenOnlyTheAuditLogFails_isInForce_andTheErrorSaysSo() throws Exception {
    TestMothership failing = new TestMothership(ManualClock.startingAt(TestMothership.START),
        new InMemoryRevocationStore(), new FailingAuditLog());

    assertThatThrownBy(() -> failing.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null))
        .isInstanceOf(StoreException.class)
        .hasMessage("the change to peer_0a1b2c3d is stored as version 1 and in force, but the audit log failed:"
            + " audit disk full");

    assertThat(failing.list.find(RevocationTarget.peer(ALICE_PEER))).isPresent();
  }

  @Test
  void revoke_withoutAnActor_isAProgrammerError_andStoresNothing() {
    assertThatThrownBy(() -> m.list.revoke(RevocationTarget.peer(ALICE_PEER), " ", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor");
    assertThatThrownBy(() -> m.list.revoke(RevocationTarget.peer(ALICE_PEER), "admin", "x".repeat(1025)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason is at most 1024");
    assertThat(m.list.version()).isZero();
  }

  @Test
  void open_afterARestart_rebuildsTheSameListFromTheStore() throws Exception {
    IssuedJoinToken token = m.issue("dave@acme.com");
    m.list.revoke(RevocationTarget.jti(token.jti()), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.peer(BOB_PEER), TestMothership.ADMIN, null);
    m.list.unrevoke(RevocationTarget.peer(BOB_PEER), TestMothership.ADMIN, null);
    m.clock.advance(Duration.ofSeconds(3));
    m.list.revoke(RevocationTarget.subject("carol@contractor.com"), TestMothership.ADMIN, null);

    RevocationList restarted = RevocationList.open(m.store, m.audit, m.clock);

    assertThat(restarted.version()).isEqualTo(5);
    assertThat(restarted.inForce()).isEqualTo(m.list.inForce()).hasSize(3);
    assertThat(restarted.find(RevocationTarget.peer(BOB_PEER))).isEmpty();
    assertThat(restarted.find(RevocationTarget.subject("carol@contractor.com")).orElseThrow().at())
        .isEqualTo(TestMothership.START.plusSeconds(3));
    assertThat(refusal(() -> m.validator(restarted).admit(token.token())).reason())
        .isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void open_onAStoreWithAGap_failsNamingTheVersions() {
    RevocationStore gappy = new GappyStore();

    assertThatThrownBy(() -> RevocationList.open(gappy, new InMemoryAuditLog(), m.clock))
        .isInstanceOf(StoreException.class)
        .hasMessage("revocation store returned version 3 where 2 was expected (versions must have no gaps)");
  }

  @Test
  void listeners_areToldOfEveryNewRevocation_inVersionOrder_andCanMatchConnectedPeers() throws Exception {
    List<Revocation> told = new CopyOnWriteArrayList<>();
    List<String> closed = new ArrayList<>();
    m.list.addListener(told::add);
    m.list.addListener(r -> {
      if (r.refusesPeer(ALICE_PEER, "alice@acme.com", TestMothership.START)) {
        closed.add(ALICE_PEER.value());
      }
    });

    m.list.revoke(RevocationTarget.peer(BOB_PEER), TestMothership.ADMIN, null);
    m.list.unrevoke(RevocationTarget.peer(BOB_PEER), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.subject("alice@acme.com"), TestMothership.ADMIN, null);

    assertThat(told).extracting(Revocation::version).containsExactly(1L, 3L);
    assertThat(closed).containsExactly("peer_0a1b2c3d");
  }

  @Test
  void aFailingListener_doesNotUndoTheRevocationNorSilenceOthers() throws Exception {
    List<Revocation> told = new ArrayList<>();
    m.list.addListener(r -> {
      throw new IllegalStateException("listener bug");
    });
    m.list.addListener(told::add);

    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);

    assertThat(told).hasSize(1);
    assertThat(m.list.find(RevocationTarget.peer(ALICE_PEER))).isPresent();
  }

  @Test
  void refresh_appliesRevocationsMadeByAnotherMothershipOnTheSameStore_andTellsListeners() throws Exception {
    RevocationList other = RevocationList.open(m.store, m.audit, m.clock);
    List<Revocation> told = new ArrayList<>();
    other.addListener(told::add);

    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    assertThat(other.find(RevocationTarget.peer(ALICE_PEER))).isEmpty();

    assertThat(other.refresh()).isEqualTo(1);

    assertThat(other.find(RevocationTarget.peer(ALICE_PEER))).isPresent();
    assertThat(told).extracting(r -> r.target().value()).containsExactly("peer_0a1b2c3d");
    assertThat(other.refresh()).isZero();
  }

  @Test
  void changesSince_returnsTheStoredChangesAfterAVersion_inOrder() throws Exception {
    for (int i = 0; i < 5; i++) {
      m.list.revoke(RevocationTarget.peer(PeerId.parse("peer_0000000" + i)), TestMothership.ADMIN, null);
    }

    assertThat(m.list.changesSince(2, 2)).extracting(RevocationEntry::version).containsExactly(3L, 4L);
    assertThat(m.list.changesSince(5, 10)).isEmpty();
    assertThatThrownBy(() -> m.list.changesSince(6, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("afterVersion must be between 0 and the list's version 5, got 6");
  }

  @Test
  void laggingPeers_listsPeersBehindTheCurrentVersion_furthestFirst_withoutRevokedOnes() throws Exception {
    for (int i = 0; i < 4; i++) {
      m.list.revoke(RevocationTarget.subject("user" + i + "@acme.com"), TestMothership.ADMIN, null);
    }
    PeerId oneBehind = PeerId.parse("peer_000000cc");
    PeerId revoked = PeerId.parse("peer_000000dd");
    m.list.acknowledge(ALICE_PEER, 3);
    m.list.acknowledge(BOB_PEER, 1);
    m.list.acknowledge(oneBehind, 4);
    m.list.acknowledge(revoked, 0);
    m.clock.advance(Duration.ofMinutes(2));
    m.list.revoke(RevocationTarget.peer(revoked), TestMothership.ADMIN, null);

    List<LaggingPeer> lagging = m.list.laggingPeers();

    assertThat(lagging).extracting(LaggingPeer::peer).containsExactly(BOB_PEER, ALICE_PEER, oneBehind);
    assertThat(lagging.get(0).behindBy()).isEqualTo(4);
    assertThat(lagging.get(0).toString())
        .isEqualTo("peer_1b2c3d4e at version 1 of 5 (4 behind), reported 2026-04-21T09:00:00Z");
    m.list.acknowledge(BOB_PEER, 5);
    assertThat(m.list.laggingPeers()).extracting(LaggingPeer::peer).doesNotContain(BOB_PEER);
    assertThat(m.list.acknowledgedVersion(BOB_PEER)).contains(5L);
  }

  /** A store whose appends fail on demand. */
  private static final class FailingStore implements RevocationStore {
    private final RevocationStore delegate;
    volatile boolean failAppends;

    FailingStore(RevocationStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public RevocationEntry append(RevocationChange change) throws StoreException {
      if (failAppends) {
        throw new StoreException("database unavailable");
      }
      return delegate.append(change);
    }

    @Override
    public List<RevocationEntry> since(long afterVersion, int limit) throws StoreException {
      return delegate.since(afterVersion, limit);
    }

    @Override
    public long latestVersion() throws StoreException {
      return delegate.latestVersion();
    }
  }

  /** A store that breaks its contract: versions 1 and 3. */
  private static final class GappyStore implements RevocationStore {
    private final List<RevocationEntry> entries = List.of(
        new RevocationEntry(1, new RevocationChange(RevocationChange.Action.REVOKE,
            RevocationTarget.peer(ALICE_PEER), "admin", TestMothership.START, null)),
        new RevocationEntry(3, new RevocationChange(RevocationChange.Action.REVOKE,
            RevocationTarget.peer(BOB_PEER), "admin", TestMothership.START, null)));

    @Override
    public RevocationEntry append(RevocationChange change) {
      throw new UnsupportedOperationException("GappyStore is read-only: it only serves a corrupt history");
    }

    @Override
    public List<RevocationEntry> since(long afterVersion, int limit) {
      return entries.stream().filter(e -> e.version() > afterVersion).limit(limit).toList();
    }

    @Override
    public long latestVersion() {
      return 3;
    }
  }

  /** An audit log whose disk is full. */
  private static final class FailingAuditLog implements AuditLog {
    @Override
    public AuditEntry append(AuditEvent event) throws StoreException {
      throw new StoreException("audit disk full");
    }

    @Override
    public List<AuditEntry> query(AuditQuery query) {
      return List.of();
    }

    @Override
    public List<AuditEntry> readChain(long fromSequence, int limit) {
      return List.of();
    }
  }

  @Test
  void revocation_refusesPeer_onlyForItsKind() {
    Instant at = Instant.parse("2026-04-21T17:59:01.400Z");
    Revocation bySubject = new Revocation(1, RevocationTarget.subject("alice@acme.com"), at);
    Revocation byJti = new Revocation(2, RevocationTarget.fromArgument("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3"), at);

    assertThat(bySubject.refusesPeer(ALICE_PEER, "alice@acme.com", Instant.parse("2026-04-21T17:59:01Z"))).isTrue();
    assertThat(bySubject.refusesPeer(ALICE_PEER, "alice@acme.com", Instant.parse("2026-04-21T17:59:02Z")))
        .isFalse();
    assertThat(bySubject.refusesPeer(ALICE_PEER, "bob@acme.com", Instant.parse("2026-04-21T17:00:00Z"))).isFalse();
    assertThat(byJti.refusesPeer(ALICE_PEER, "alice@acme.com", at)).isFalse();
    assertThat(bySubject.unaffectedFrom()).isEqualTo(Instant.parse("2026-04-21T17:59:02Z"));
    assertThat(bySubject).hasToString("alice@acme.com revoked at 2026-04-21T17:59:01.400Z (version 1)");
  }
}
