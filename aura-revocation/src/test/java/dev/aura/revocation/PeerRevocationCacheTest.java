package dev.aura.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.aura.revocation.Refusals.refusal;

import dev.aura.revocation.RevocationSyncException.Reason;
import dev.aura.revocation.UpdateOutcome.Kind;
import dev.aura.revocation.UpdateOutcome.Status;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationSource;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreException;
import dev.aura.spi.TransportException;
import dev.aura.testkit.InMemoryAuditLog;
import dev.aura.testkit.InMemoryRevocationStore;
import dev.aura.testkit.ManualClock;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.IssuedRefreshCredential;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeerRevocationCacheTest {
  private static final PeerId ALICE_PEER = PeerId.parse("peer_0a1b2c3d");
  private static final PeerId BOB_PEER = PeerId.parse("peer_1b2c3d4e");
  private static final Duration ONE_HOUR = Duration.ofHours(1);

  private final TestMothership m;
  private final RevocationPublisher publisher;
  /** What the peer holds offline: the Mothership's published JWK set, re-read after a rotation. */
  private final AtomicReference<PublicKeyRing> peerKeys = new AtomicReference<>();

  PeerRevocationCacheTest() throws StoreException {
    m = new TestMothership();
    publisher = m.publisher();
    republishKeys();
  }

  private void republishKeys() {
    peerKeys.set(PublicKeyRing.fromJwkSet(m.ring.publicKeys().toJwkSetJson()));
  }

  private PeerRevocationCache cache(StalenessPolicy policy) {
    return PeerRevocationCache.builder().keys(peerKeys::get).clock(m.clock).maxStaleness(ONE_HOUR)
        .whenStale(policy).build();
  }

  private PeerRevocationCache cache() {
    return cache(StalenessPolicy.FAIL_CLOSED);
  }

  private void revokePeers(int from, int count) throws StoreException {
    for (int i = from; i < from + count; i++) {
      m.list.revoke(RevocationTarget.peer(PeerId.parse(String.format("peer_%08x", i))), TestMothership.ADMIN,
          null);
    }
  }

  private static RevocationSyncException rejected(PeerRevocationCache cache, String signed) {
    try {
      cache.apply(signed);
    } catch (RevocationSyncException e) {
      return e;
    }
    throw new AssertionError("the update was applied");
  }

  @Test
  void snapshot_enforcesEveryKindOfRevocationOnThePeer_whileTheMothershipIsDown() throws Exception {
    IssuedJoinToken byJti = m.issue("dave@acme.com");
    IssuedJoinToken bySubject = m.issue("carol@contractor.com");
    IssuedJoinToken fine = m.issue("erin@acme.com");
    IssuedRefreshCredential alice = m.join(ALICE_PEER, "alice@acme.com");
    IssuedRefreshCredential carol = m.join(BOB_PEER, "carol@contractor.com");
    m.list.revoke(RevocationTarget.jti(byJti.jti()), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.subject("carol@contractor.com"), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    PeerRevocationCache cache = cache();

    UpdateOutcome outcome = cache.apply(publisher.snapshot().orElseThrow());
    // from here on only the peer's copy is consulted: the Mothership's list is not used

    assertThat(outcome).isEqualTo(new UpdateOutcome(Status.APPLIED, Kind.SNAPSHOT, 0, 3, 3, 3));
    assertThat(cache.version()).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(refusal(() -> m.validator(cache).verify(byJti.token())).getMessage())
        .startsWith("revoked: token " + byJti.jti() + " was revoked at 2026-04-21T09:00:00Z (revocation version 1)");
    assertThat(refusal(() -> m.validator(cache).verify(bySubject.token())).reason())
        .isEqualTo(RejectionReason.REVOKED);
    assertThat(refusal(() -> m.credentials(cache).authenticate(alice.credential())).getMessage())
        .startsWith("revoked: peer peer_0a1b2c3d was revoked");
    assertThat(refusal(() -> m.credentials(cache).authenticate(carol.credential())).reason())
        .isEqualTo(RejectionReason.REVOKED);
    assertThat(m.validator(cache).verify(fine.token()).subject()).isEqualTo("erin@acme.com");
  }

  @Test
  void deltaChain_appliedInOrder_reachesTheMothershipsList_includingUnrevokes() throws Exception {
    PeerRevocationCache cache = cache();
    revokePeers(0, 3);
    assertThat(cache.apply(publisher.delta(0))).isEqualTo(new UpdateOutcome(Status.APPLIED, Kind.DELTA, 0, 3, 3, 3));
    m.list.unrevoke(RevocationTarget.peer(PeerId.parse("peer_00000001")), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.subject("carol@contractor.com"), TestMothership.ADMIN, null);

    UpdateOutcome second = cache.apply(publisher.delta(3));

    assertThat(second).isEqualTo(new UpdateOutcome(Status.APPLIED, Kind.DELTA, 3, 5, 5, 2));
    assertThat(cache.find(RevocationTarget.peer(PeerId.parse("peer_00000001")))).isEmpty();
    assertThat(cache.version()).isEqualTo(m.list.version());
    assertThat(inForce(cache)).isEqualTo(m.list.inForce());
  }

  private static List<Revocation> inForce(PeerRevocationCache cache) {
    List<Revocation> out = new ArrayList<>();
    for (String t : List.of("peer_00000000", "peer_00000001", "peer_00000002", "carol@contractor.com")) {
      cache.find(RevocationTarget.fromArgument(t)).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void delta_withAGap_isRefusedNamingTheMissingVersions_andTheCopyIsUnchanged() throws Exception {
    PeerRevocationCache cache = cache();
    revokePeers(0, 2);
    cache.apply(publisher.delta(0));
    revokePeers(2, 3);

    RevocationSyncException e = rejected(cache, publisher.delta(4));

    assertThat(e.reason()).isEqualTo(Reason.GAP);
    assertThat(e.tokenRejection()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("revocation update has a gap: the delta starts after version 4, this copy"
        + " holds version 2: versions 3 to 4 are missing (fetch the changes after 2)");
    assertThat(cache.version()).isEqualTo(2);
    assertThat(cache.find(RevocationTarget.peer(PeerId.parse("peer_00000004")))).isEmpty();
  }

  @Test
  void sameDeltaTwice_isANoOp_reportedAsUnchanged() throws Exception {
    PeerRevocationCache cache = cache();
    revokePeers(0, 2);
    String delta = publisher.delta(0);
    cache.apply(delta);

    UpdateOutcome again = cache.apply(delta);

    assertThat(again).isEqualTo(new UpdateOutcome(Status.UNCHANGED, Kind.DELTA, 0, 2, 2, 0));
    assertThat(cache.version()).isEqualTo(2);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void deltasOutOfOrder_theLaterIsRefusedAsAGap_thenBothApplyInOrder_andTheEarlierAgainIsARollback()
      throws Exception {
    PeerRevocationCache cache = cache();
    revokePeers(0, 2);
    String first = publisher.delta(0);
    revokePeers(2, 2);
    String second = publisher.delta(2);

    assertThat(rejected(cache, second).reason()).isEqualTo(Reason.GAP);
    assertThat(cache.apply(first).to()).isEqualTo(2);
    assertThat(cache.apply(second).to()).isEqualTo(4);
    RevocationSyncException e = rejected(cache, first);

    assertThat(e.reason()).isEqualTo(Reason.ROLLBACK);
    assertThat(e.getMessage()).startsWith("revocation update is older than the copy held: the delta covers"
        + " versions up to 2, this copy holds version 4");
    assertThat(cache.size()).isEqualTo(4);
  }

  @Test
  void olderSnapshot_afterANewerOne_isRefusedAsARollback_soAReplayCannotUnrevoke() throws Exception {
    PeerRevocationCache cache = cache();
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    String beforeRevocation = publisher.snapshot().orElseThrow();
    m.list.revoke(RevocationTarget.peer(BOB_PEER), TestMothership.ADMIN, null);
    cache.apply(publisher.snapshot().orElseThrow());

    RevocationSyncException e = rejected(cache, beforeRevocation);

    assertThat(e.reason()).isEqualTo(Reason.ROLLBACK);
    assertThat(e.getMessage()).contains("the snapshot covers versions up to 1, this copy holds version 2");
    assertThat(cache.find(RevocationTarget.peer(BOB_PEER))).isPresent();
  }

  @Test
  void newerSnapshot_replacesACopyBuiltFromDeltas() throws Exception {
    PeerRevocationCache cache = cache();
    revokePeers(0, 2);
    cache.apply(publisher.delta(0));
    m.list.unrevoke(RevocationTarget.peer(PeerId.parse("peer_00000000")), TestMothership.ADMIN, null);

    UpdateOutcome outcome = cache.apply(publisher.snapshot().orElseThrow());

    assertThat(outcome).isEqualTo(new UpdateOutcome(Status.APPLIED, Kind.SNAPSHOT, 0, 3, 3, 1));
    assertThat(cache.find(RevocationTarget.peer(PeerId.parse("peer_00000000")))).isEmpty();
    assertThat(cache.find(RevocationTarget.peer(PeerId.parse("peer_00000001")))).isPresent();
  }

  @Test
  void overlappingDelta_appliesOnlyTheVersionsNotYetHeld() throws Exception {
    PeerRevocationCache cache = cache();
    revokePeers(0, 2);
    cache.apply(publisher.delta(0));
    revokePeers(2, 2);

    UpdateOutcome outcome = cache.apply(publisher.delta(1));

    assertThat(outcome).isEqualTo(new UpdateOutcome(Status.APPLIED, Kind.DELTA, 1, 4, 4, 2));
    assertThat(cache.size()).isEqualTo(4);
  }

  @Test
  void snapshotSignedByAnotherMothership_isRefusedAsInvalidSignature() throws Exception {
    TestMothership rogue = new TestMothership();
    rogue.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    PeerRevocationCache cache = cache();

    RevocationSyncException e = rejected(cache, rogue.publisher().snapshot().orElseThrow());

    assertThat(e.reason()).isEqualTo(Reason.INVALID);
    assertThat(e.tokenRejection()).contains(RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).startsWith("revocation update rejected: invalid signature: unknown key id '"
        + rogue.ring.primaryKid().substring(0, 20)).endsWith("(signed by another Mothership, or by a key no longer"
        + " in the ring)");
    assertThat(e.getCause()).isInstanceOf(TokenRejectedException.class);
    assertThat(cache.version()).isZero();
  }

  @Test
  void tamperedSnapshot_flippedBitsInPayloadOrSignature_isRefusedAsInvalidSignature() throws Exception {
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.peer(BOB_PEER), TestMothership.ADMIN, null);
    String genuine = publisher.snapshot().orElseThrow();
    String[] parts = genuine.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("\"peer\":\"peer_1b2c3d4e\"");
    // drop Bob's revocation by flipping bits of his peer id: peer_1b2c3d4e -> peer_1b2c3d4f
    String forgedPayload = payload.replace("peer_1b2c3d4e", "peer_1b2c3d4f");
    String payloadTampered = parts[0] + "." + b64(forgedPayload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[10] ^= 0x01;
    String signatureTampered = parts[0] + "." + parts[1] + "." + b64(signature);
    PeerRevocationCache cache = cache();

    RevocationSyncException payloadRejection = rejected(cache, payloadTampered);
    RevocationSyncException signatureRejection = rejected(cache, signatureTampered);

    assertThat(payloadRejection.tokenRejection()).contains(RejectionReason.INVALID_SIGNATURE);
    assertThat(payloadRejection.getMessage()).isEqualTo("revocation update rejected: invalid signature:"
        + " signature does not verify under key " + m.ring.primaryKid());
    assertThat(signatureRejection.tokenRejection()).contains(RejectionReason.INVALID_SIGNATURE);
    assertThat(cache.version()).isZero();
    assertThat(cache.apply(genuine).to()).isEqualTo(2);
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  void aJoinTokenPresentedAsARevocationUpdate_isRefusedAsWrongType() throws Exception {
    RevocationSyncException e = rejected(cache(), m.issue("alice@acme.com").token());

    assertThat(e.reason()).isEqualTo(Reason.INVALID);
    assertThat(e.tokenRejection()).contains(RejectionReason.WRONG_TYPE);
    assertThat(e.getMessage()).isEqualTo("revocation update rejected: wrong token type: expected"
        + " aura-revocation+jwt, found aura-join+jwt");
  }

  @Test
  void genuinelySignedButMalformedUpdate_isRefusedAsMalformed() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("kind", "delta");
    claims.put("from", 0L);
    claims.put("to", 3L);
    claims.put("head", 3L);
    claims.put("iat", TestMothership.START.getEpochSecond());
    claims.put("entries", List.of(Map.of("v", 1L, "op", "revoke", "peer", "peer_0a1b2c3d", "at", 1L)));

    RevocationSyncException e = rejected(cache(), TypedJws.sign(m.ring, TokenType.REVOCATION, claims));

    assertThat(e.tokenRejection()).contains(RejectionReason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("revocation update rejected: malformed token: a delta"
        + " from 0 to 3 needs 3 entries, found 1");
  }

  @Test
  void snapshotSignedByARotatedKey_verifiesInsideItsGrace_andIsRefusedOnceTheGraceEnds() throws Exception {
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    String oldKid = m.ring.primaryKid();
    String signedBeforeRotation = publisher.snapshot().orElseThrow();
    m.ring.rotate(); // the old key verifies for 24 hours more
    republishKeys();

    m.clock.advance(Duration.ofHours(24).minusSeconds(1));
    PeerRevocationCache insideGrace = cache();
    assertThat(insideGrace.apply(signedBeforeRotation).to()).isEqualTo(1);

    m.clock.advance(Duration.ofSeconds(1));
    RevocationSyncException e = rejected(cache(), signedBeforeRotation);
    assertThat(e.tokenRejection()).contains(RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).isEqualTo("revocation update rejected: invalid signature: key " + oldKid
        + " was rotated out; its grace ended at 2026-04-22T09:00:00Z");
    assertThat(cache().apply(publisher.snapshot().orElseThrow()).to()).isEqualTo(1); // the new key signs now
  }

  @Test
  void staleness_isJudgedFromTheUpdatesWholeSecondIat_freshUntilOneInstantBeforeTheLimit() throws Exception {
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    m.clock.advance(Duration.ofMillis(500)); // signed at 09:00:00.500, iat 09:00:00
    PeerRevocationCache cache = cache();
    cache.apply(publisher.snapshot().orElseThrow());
    IssuedJoinToken unrelated = m.issue("erin@acme.com");

    m.clock.set(TestMothership.START.plus(ONE_HOUR).minusNanos(1));
    assertThat(cache.freshness().isStale()).isFalse();
    assertThat(m.validator(cache).verify(unrelated.token()).subject()).isEqualTo("erin@acme.com");
    cache.requireFresh();

    m.clock.set(TestMothership.START.plus(ONE_HOUR));
    assertThat(cache.freshness().isStale()).isTrue();
    assertThat(cache.freshness().staleFrom()).contains(TestMothership.START.plus(ONE_HOUR));
    TokenRejectedException refused = refusal(() -> m.validator(cache).verify(unrelated.token()));
    assertThat(refused.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(refused.getMessage()).isEqualTo("revoked: the revocation list is too old to trust: version 1,"
        + " complete as of 2026-04-21T09:00:00Z (age PT1H, max staleness PT1H, stale from 2026-04-21T10:00:00Z);"
        + " refusing until it syncs with the Mothership (staleness policy fail-closed)");
    assertThatThrownBy(cache::requireFresh).isInstanceOf(RevocationSyncException.class)
        .hasMessageStartingWith("revocation list is too old to trust: version 1, complete as of")
        .extracting(e -> ((RevocationSyncException) e).reason()).isEqualTo(Reason.STALE);
  }

  @Test
  void aHeartbeatDeltaWithNoChanges_renewsFreshness() throws Exception {
    m.list.revoke(RevocationTarget.peer(ALICE_PEER), TestMothership.ADMIN, null);
    PeerRevocationCache cache = cache();
    cache.sync(publisher);
    m.clock.advance(ONE_HOUR);
    assertThat(cache.freshness().isStale()).isTrue();

    UpdateOutcome heartbeat = cache.sync(publisher);

    assertThat(heartbeat).isEqualTo(new UpdateOutcome(Status.UNCHANGED, Kind.DELTA, 1, 1, 1, 0));
    assertThat(cache.freshness().isStale()).isFalse();
    assertThat(cache.freshness().completeAsOfIfAny()).contains(TestMothership.START.plus(ONE_HOUR));
  }

  @Test
  void aCopyThatNeverSynced_isStale_andFailClosedRefusesEveryone() throws Exception {
    PeerRevocationCache cache = cache();
    IssuedRefreshCredential alice = m.join(ALICE_PEER, "alice@acme.com");

    assertThat(cache.freshness().isStale()).isTrue();
    assertThat(refusal(() -> m.credentials(cache).authenticate(alice.credential())).getMessage())
        .isEqualTo("revoked: the revocation list is too old to trust: version 0, never complete: no update"
            + " reaching the Mothership's latest version has been applied yet; refusing until it syncs with the"
            + " Mothership (staleness policy fail-closed)");
  }

  @Test
  void warnPolicy_keepsEnforcingAStaleCopy_refusingOnlyWhatIsRevoked() throws Exception {
    IssuedJoinToken revoked = m.issue("carol@contractor.com");
    IssuedJoinToken fine = m.issue("erin@acme.com");
    m.list.revoke(RevocationTarget.subject("carol@contractor.com"), TestMothership.ADMIN, null);
    PeerRevocationCache cache = cache(StalenessPolicy.WARN);
    cache.sync(publisher);
    m.clock.advance(Duration.ofHours(5));

    assertThat(cache.freshness().isStale()).isTrue();
    assertThat(m.validator(cache).verify(fine.token()).subject()).isEqualTo("erin@acme.com");
    assertThat(m.validator(cache).verify(fine.token()).subject()).isEqualTo("erin@acme.com");
    assertThat(refusal(() -> m.validator(cache).verify(revoked.token())).getMessage())
        .startsWith("revoked: subject carol@contractor.com was revoked");
  }

  @Test
  void sync_fetchesPageAfterPage_untilTheMothershipsHead_withEveryDocumentUnderTheSizeCap() throws Exception {
    RevocationPublisher publisher = RevocationPublisher.withPageLimit(m.list, m.ring, m.clock, 8 * 1024);
    revokePeers(0, 250);
    for (int i = 0; i < 20; i++) {
      m.list.revoke(RevocationTarget.subject("a-rather-long-subject-name-" + "x".repeat(250) + i + "@acme.com"),
          TestMothership.ADMIN, null);
    }
    m.list.unrevoke(RevocationTarget.peer(PeerId.parse("peer_00000007")), TestMothership.ADMIN, null);
    m.list.revoke(RevocationTarget.subject("zoë.müller-日本@acme.com"), TestMothership.ADMIN, null);
    List<String> fetched = new ArrayList<>();
    RevocationSource recording = after -> {
      String signed = publisher.fetchSince(after);
      fetched.add(signed);
      return signed;
    };
    PeerRevocationCache cache = cache();

    UpdateOutcome last = cache.sync(recording);

    assertThat(publisher.snapshot()).isEmpty(); // 270 in force: too many for one document
    assertThat(last.isCurrent()).isTrue();
    assertThat(cache.version()).isEqualTo(272);
    assertThat(cache.size()).isEqualTo(m.list.size()).isEqualTo(270);
    assertThat(cache.find(RevocationTarget.subject("zoë.müller-日本@acme.com"))).isPresent();
    assertThat(fetched).hasSizeGreaterThan(3)
        .allMatch(s -> s.length() <= 8 * 1024);
    assertThat(cache.find(RevocationTarget.peer(PeerId.parse("peer_00000007")))).isEmpty();
    assertThat(cache.freshness().isStale()).isFalse();
  }

  @Test
  void aCopyLeftBetweenPages_isNotCompleteAndSoNotFresh() throws Exception {
    RevocationPublisher publisher = RevocationPublisher.withPageLimit(m.list, m.ring, m.clock, 8 * 1024);
    revokePeers(0, 200);
    PeerRevocationCache cache = cache();

    UpdateOutcome firstPage = cache.apply(publisher.fetchSince(0));

    assertThat(firstPage.isCurrent()).isFalse();
    assertThat(firstPage.head()).isEqualTo(200);
    assertThat(cache.freshness().completeAsOfIfAny()).isEmpty();
  }

  @Test
  void sync_whenTheMothershipIsUnreachable_throwsTransportException_andKeepsTheCopy() throws Exception {
    revokePeers(0, 2);
    PeerRevocationCache cache = cache();
    cache.sync(publisher);

    assertThatThrownBy(() -> cache.sync(after -> {
      throw new TransportException("connection refused");
    })).isInstanceOf(TransportException.class);

    assertThat(cache.version()).isEqualTo(2);
    assertThat(cache.find(RevocationTarget.peer(PeerId.parse("peer_00000001")))).isPresent();
  }

  @Test
  void aMothershipWhoseStoreWasReset_isRefusedAsARollback() throws Exception {
    revokePeers(0, 5);
    PeerRevocationCache cache = cache();
    cache.sync(publisher);
    RevocationList reset = RevocationList.open(new InMemoryRevocationStore(), new InMemoryAuditLog(), m.clock);

    RevocationSyncException e = rejected(cache, RevocationPublisher.of(reset, m.ring, m.clock).fetchSince(5));

    assertThat(e.reason()).isEqualTo(Reason.ROLLBACK);
    assertThat(cache.version()).isEqualTo(5);
  }

  @Test
  void anEmptyMothership_publishesAnEmptySnapshot_thatMakesAPeerFresh() throws Exception {
    PeerRevocationCache cache = cache();

    UpdateOutcome outcome = cache.sync(publisher);

    assertThat(outcome).isEqualTo(new UpdateOutcome(Status.UNCHANGED, Kind.SNAPSHOT, 0, 0, 0, 0));
    assertThat(cache.freshness().isStale()).isFalse();
  }

  @Test
  void builder_requiresKeysClockAndMaxStaleness_andRejectsNonsense() {
    assertThatThrownBy(() -> PeerRevocationCache.builder().keys(peerKeys::get).clock(m.clock).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxStaleness");
    assertThatThrownBy(() -> PeerRevocationCache.builder().clock(m.clock).maxStaleness(ONE_HOUR).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("keys");
    assertThatThrownBy(() -> PeerRevocationCache.builder().maxStaleness(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerRevocationCache.builder().maxStaleness(ONE_HOUR).maxStaleness(ONE_HOUR))
        .isInstanceOf(IllegalStateException.class).hasMessage("maxStaleness was already set");
  }

  @Test
  void subjectRevokedOnTheMothership_refusesOnThePeerTheSameSecondItWasIssuedIn() throws Exception {
    m.clock.advance(Duration.ofMillis(300));
    m.list.revoke(RevocationTarget.subject("alice@acme.com"), TestMothership.ADMIN, null);
    IssuedJoinToken sameSecond = m.issue("alice@acme.com");
    m.clock.advance(Duration.ofSeconds(1));
    IssuedJoinToken nextSecond = m.issue("alice@acme.com");
    PeerRevocationCache cache = cache();
    cache.sync(publisher);

    assertThat(refusal(() -> m.validator(cache).verify(sameSecond.token())).reason())
        .isEqualTo(RejectionReason.REVOKED);
    assertThat(m.validator(cache).verify(nextSecond.token()).jti()).isEqualTo(nextSecond.jti());
    assertThat(cache.find(RevocationTarget.subject("alice@acme.com")).orElseThrow().at())
        .isEqualTo(Instant.parse("2026-04-21T09:00:00Z"));
  }
}
