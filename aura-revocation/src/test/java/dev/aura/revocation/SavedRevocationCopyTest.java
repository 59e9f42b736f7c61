package dev.aura.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aura.revocation.RevocationSyncException.Reason;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.token.IssuedPeerIdentity;
import dev.aura.token.PeerIdentityIssuer;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.VerifiedPeerIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer's saved revocation copy: reloaded after a restart with the Mothership down, never rolled back. */
class SavedRevocationCopyTest {
  private static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  private static final PeerId BOB = PeerId.parse("peer_1b2c3d4e");
  private static final PeerId CAROL = PeerId.parse("peer_2c3d4e5f");
  private static final Fingerprint CAROL_KEY = Fingerprint.ofCertificate("carol".getBytes(StandardCharsets.UTF_8));
  private static final Duration ONE_HOUR = Duration.ofHours(1);

  @TempDir Path home;
  private final TestMothership m = mothership();
  private final PublicKeyRing peerKeys = PublicKeyRing.fromJwkSet(m.ring.publicKeys().toJwkSetJson());

  private static TestMothership mothership() {
    try {
      return new TestMothership();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private PeerRevocationCache cache() {
    return PeerRevocationCache.builder().keys(() -> peerKeys).clock(m.clock).maxStaleness(ONE_HOUR).build();
  }

  /** A peer process starting: a new cache, its saved copy loaded. */
  private SavedRevocationCopy start() throws Exception {
    SavedRevocationCopy saved = SavedRevocationCopy.open(home.resolve("revocations"), cache());
    saved.load();
    return saved;
  }

  private Path copyFile() {
    return home.resolve("revocations").resolve(SavedRevocationCopy.COPY_FILE);
  }

  private Path markFile() {
    return home.resolve("revocations").resolve(SavedRevocationCopy.MARK_FILE);
  }

  private void revoke(String target) throws Exception {
    m.clock.advance(Duration.ofSeconds(1));
    m.list.revoke(RevocationTarget.fromArgument(target), TestMothership.ADMIN, "test");
  }

  private static RevocationSyncException refusedLoad(SavedRevocationCopy saved, Reason reason) {
    RevocationSyncException e = catchThrowableOfType(RevocationSyncException.class, saved::load);
    assertThat(e).as("load must be refused with " + reason).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).startsWith(reason.text()).doesNotContain("eyJ");
    return e;
  }

  @Test
  void restartWithTheMothershipDown_keepsRefusingEveryRevokedPeer_andFilesAreOwnerOnly() throws Exception {
    revoke("peer_0a1b2c3d");
    revoke("bob@acme.com");
    SavedRevocationCopy running = start();
    assertThat(running.sync(m.publisher()).to()).isEqualTo(2);

    SavedRevocationCopy restarted = start(); // no Mothership from here on

    PeerRevocationCache cache = restarted.cache();
    assertThat(cache.version()).isEqualTo(2);
    assertThat(restarted.highWaterMark()).isEqualTo(2);
    assertThat(cache.revocationOfPeer(ALICE, "alice@acme.com", TestMothership.START)).get().asString()
        .startsWith("peer peer_0a1b2c3d was revoked at");
    assertThat(cache.revocationOfPeer(BOB, "bob@acme.com", TestMothership.START)).get().asString()
        .startsWith("subject bob@acme.com was revoked at");
    assertThat(cache.revocationOfPeer(CAROL, "carol@acme.com", TestMothership.START)).isEmpty();
    for (Path file : List.of(copyFile(), markFile())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(Files.readString(markFile())).isEqualTo("2\n");
  }

  @Test
  void restartedPeer_refusesARevokedPeersIdentity_onADirectConnection() throws Exception {
    PeerIdentityIssuer identities = PeerIdentityIssuer.builder().mothershipId(TestMothership.ID).keyRing(m.ring)
        .clock(m.clock).refreshPeriod(ONE_HOUR).build();
    IssuedPeerIdentity carol = identities.issue(CAROL, "carol@contractor.com", Role.MEMBER, m.clock.instant(),
        Set.of(), CAROL_KEY);
    revoke("peer_2c3d4e5f");
    start().sync(m.publisher());

    SavedRevocationCopy restarted = start();
    PeerIdentityVerifier verifier = PeerIdentityVerifier.builder().mothershipId(TestMothership.ID)
        .keys(() -> peerKeys).clock(m.clock).ownWorkspaces(Set::of).revocation(restarted.cache()).build();

    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
        () -> verifier.verify(carol.compact(), CAROL_KEY));
    assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(e.getMessage()).startsWith("revoked: peer peer_2c3d4e5f was revoked at");
  }

  @Test
  void copyReplacedByAnOlderGenuineOne_isRefusedAsRollback_andNothingIsOverwrittenUntilCaughtUp()
      throws Exception {
    revoke("peer_0a1b2c3d");
    SavedRevocationCopy running = start();
    running.sync(m.publisher());
    byte[] versionOne = Files.readAllBytes(copyFile());
    revoke("peer_1b2c3d4e");
    revoke("peer_2c3d4e5f");
    running.sync(m.publisher());
    Files.write(copyFile(), versionOne); // the attacker puts back the copy from before bob and carol

    SavedRevocationCopy restarted = SavedRevocationCopy.open(home.resolve("revocations"), cache());
    RevocationSyncException e = refusedLoad(restarted, Reason.ROLLBACK);

    assertThat(e.getMessage()).isEqualTo("revocation update is older than the copy held: the saved copy "
        + copyFile() + " holds version 1, but version 3 was saved before (" + markFile() + "): an older copy"
        + " replaced it; refusing it, the copy stays empty until it syncs with the Mothership");
    assertThat(restarted.cache().version()).isZero();
    assertThat(restarted.cache().revocationOfPeer(CAROL, "carol@acme.com", TestMothership.START)).get()
        .asString().startsWith("the revocation list is too old to trust");
    assertThat(Files.readAllBytes(copyFile())).isEqualTo(versionOne);

    restarted.sync(m.publisher());
    assertThat(start().cache().version()).isEqualTo(3);
  }

  @Test
  void copyOneAheadOfTheMark_aKillBetweenTheTwoWrites_isLoaded_andRaisesTheMark() throws Exception {
    revoke("peer_0a1b2c3d");
    SavedRevocationCopy running = start();
    running.sync(m.publisher());
    revoke("peer_1b2c3d4e");
    running.sync(m.publisher());
    Files.writeString(markFile(), "1\n"); // the copy of version 2 was written, the kill came before the mark

    SavedRevocationCopy restarted = start();

    assertThat(restarted.cache().version()).isEqualTo(2);
    assertThat(restarted.highWaterMark()).isEqualTo(2);
    assertThat(Files.readString(markFile())).isEqualTo("2\n");
    assertThat(restarted.cache().revocationOfPeer(BOB, "bob@acme.com", TestMothership.START)).get().asString()
        .startsWith("peer peer_1b2c3d4e was revoked at");
  }

  @Test
  void deletedCopy_withTheMarkLeft_isRefusedAsRollback() throws Exception {
    revoke("peer_0a1b2c3d");
    start().sync(m.publisher());
    Files.delete(copyFile());

    RevocationSyncException e = refusedLoad(SavedRevocationCopy.open(home.resolve("revocations"), cache()),
        Reason.ROLLBACK);
    assertThat(e.getMessage()).contains("is missing, but version 1 was saved before");
  }

  @Test
  void damagedCopies_areRefusedAsCorrupt_leftAsTheyAre_andTheCacheStaysEmpty() throws Exception {
    revoke("peer_0a1b2c3d");
    start().sync(m.publisher());
    byte[] good = Files.readAllBytes(copyFile());
    String text = new String(good, StandardCharsets.US_ASCII);
    List<String> damaged = new ArrayList<>();
    damaged.add(text.substring(0, text.length() / 2));                               // cut short
    damaged.add(text.substring(0, text.lastIndexOf("end ")));                         // no digest
    damaged.add(text.replaceFirst("update eyJ", "update eyK"));                       // a flipped byte
    damaged.add("");                                                                  // empty
    damaged.add("garbage\n");                                                         // not the format
    damaged.add(text.replace("aura-revocation-copy 1", "aura-revocation-copy 9"));    // other format
    for (String bad : damaged) {
      Files.writeString(copyFile(), bad, StandardCharsets.ISO_8859_1);
      SavedRevocationCopy restarted = SavedRevocationCopy.open(home.resolve("revocations"), cache());
      refusedLoad(restarted, Reason.CORRUPT);
      assertThat(restarted.cache().version()).isZero();
      assertThat(Files.readString(copyFile(), StandardCharsets.ISO_8859_1)).isEqualTo(bad);
    }
    Files.write(copyFile(), good);
    Files.writeString(markFile(), "one\n");
    RevocationSyncException e = refusedLoad(SavedRevocationCopy.open(home.resolve("revocations"), cache()),
        Reason.CORRUPT);
    assertThat(e.getMessage()).contains(markFile() + ": it is not a version number and a line feed");
  }

  @Test
  void forgedUpdate_withARecomputedDigest_isRefusedAsInvalidSignature() throws Exception {
    TestMothership impostor = new TestMothership();
    impostor.list.revoke(RevocationTarget.fromArgument("peer_0a1b2c3d"), TestMothership.ADMIN, "test");
    String forged = impostor.publisher().fetchSince(0);
    String body = "aura-revocation-copy 1\nversion 1\nupdate " + forged + "\n";
    Files.createDirectories(copyFile().getParent());
    Files.writeString(copyFile(), body + "end " + HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.US_ASCII))) + "\n");

    RevocationSyncException e = refusedLoad(SavedRevocationCopy.open(home.resolve("revocations"), cache()),
        Reason.INVALID);
    assertThat(e.tokenRejection()).contains(RejectionReason.INVALID_SIGNATURE);
  }

  @Test
  void staleness_afterReload_followsTheSavedUpdatesIat_failClosedWithAReason() throws Exception {
    revoke("peer_0a1b2c3d");
    start().sync(m.publisher());
    java.time.Instant signedAt = m.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    m.clock.set(signedAt.plus(ONE_HOUR).minusSeconds(1));
    assertThat(start().cache().freshness().isStale()).isFalse();

    m.clock.set(signedAt.plus(ONE_HOUR));
    PeerRevocationCache reloaded = start().cache();
    assertThat(reloaded.freshness().isStale()).isTrue();
    assertThat(reloaded.revocationOfPeer(CAROL, "carol@acme.com", TestMothership.START)).get().asString()
        .startsWith("the revocation list is too old to trust: version 1, complete as of " + signedAt)
        .endsWith("refusing until it syncs with the Mothership (staleness policy fail-closed)");
    RevocationSyncException stale = catchThrowableOfType(RevocationSyncException.class, reloaded::requireFresh);
    assertThat(stale.reason()).isEqualTo(Reason.STALE);
  }

  @Test
  void heartbeats_renewTheSavedCopy_keepingOnlyTheNewest() throws Exception {
    revoke("peer_0a1b2c3d");
    SavedRevocationCopy running = start();
    running.sync(m.publisher());
    for (int i = 0; i < 3; i++) {
      m.clock.advance(Duration.ofMinutes(50));
      assertThat(running.sync(m.publisher()).status()).isEqualTo(UpdateOutcome.Status.UNCHANGED);
    }
    assertThat(Files.readAllLines(copyFile())).hasSize(5); // magic, version, update, one renewal, end
    assertThat(Files.readAllLines(copyFile()).get(3)).startsWith("renewal ");
    m.clock.advance(Duration.ofMinutes(59));
    assertThat(start().cache().freshness().isStale()).isFalse();
  }

  @Test
  void deltasAfterASnapshot_areSavedInOrder_andASnapshotStartsTheChainAfresh() throws Exception {
    revoke("peer_0a1b2c3d");
    SavedRevocationCopy running = start();
    assertThat(running.sync(m.publisher()).kind()).isEqualTo(UpdateOutcome.Kind.SNAPSHOT);
    revoke("peer_1b2c3d4e");
    assertThat(running.sync(m.publisher()).kind()).isEqualTo(UpdateOutcome.Kind.DELTA);
    assertThat(Files.readAllLines(copyFile())).hasSize(5);
    running.apply(m.publisher().snapshot().orElseThrow()); // same version: unchanged, renews
    assertThat(start().cache().version()).isEqualTo(2);
    assertThat(start().cache().find(RevocationTarget.fromArgument("peer_1b2c3d4e"))).isPresent();
  }

  @Test
  void revocationWhileConnected_reachesTheListener_whichNamesTheIdentityToDrop() throws Exception {
    PeerIdentityIssuer identities = PeerIdentityIssuer.builder().mothershipId(TestMothership.ID).keyRing(m.ring)
        .clock(m.clock).refreshPeriod(ONE_HOUR).build();
    SavedRevocationCopy running = start();
    running.sync(m.publisher());
    PeerIdentityVerifier verifier = PeerIdentityVerifier.builder().mothershipId(TestMothership.ID)
        .keys(() -> peerKeys).clock(m.clock).ownWorkspaces(Set::of).revocation(running.cache()).build();
    VerifiedPeerIdentity connected = verifier.verify(identities.issue(CAROL, "carol@contractor.com", Role.MEMBER,
        m.clock.instant(), Set.of(), CAROL_KEY).compact(), CAROL_KEY);
    List<VerifiedPeerIdentity> closed = new ArrayList<>();
    running.cache().addListener(r -> {
      if (r.refusesIdentity(connected)) {
        closed.add(connected);
      }
    });

    revoke("peer_1b2c3d4e");
    running.sync(m.publisher());
    assertThat(closed).isEmpty();
    revoke(connected.jti().value());
    running.sync(m.publisher());
    assertThat(closed).containsExactly(connected);
  }

  @Test
  void temporaryFileLeftByACrash_isIgnoredAtLoad_andReplacedByTheNextSave() throws Exception {
    revoke("peer_0a1b2c3d");
    start().sync(m.publisher());
    Path temporary = copyFile().resolveSibling("." + SavedRevocationCopy.COPY_FILE + ".tmp");
    Files.writeString(temporary, "aura-revocation-copy 1\nversion 9\nupd");

    SavedRevocationCopy restarted = start();
    assertThat(restarted.cache().version()).isEqualTo(1);
    revoke("peer_1b2c3d4e");
    restarted.sync(m.publisher());
    assertThat(temporary).doesNotExist();
    assertThat(start().cache().version()).isEqualTo(2);
  }

  @Test
  void apply_beforeLoad_orAroundTheSavedCopy_isAMisuse() throws Exception {
    revoke("peer_0a1b2c3d");
    SavedRevocationCopy notLoaded = SavedRevocationCopy.open(home.resolve("revocations"), cache());
    assertThatThrownBy(() -> notLoaded.apply(m.publisher().fetchSince(0)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("call load()");
    SavedRevocationCopy saved = start();
    saved.cache().apply(m.publisher().fetchSince(0));
    assertThatThrownBy(() -> saved.sync(m.publisher())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("update the cache only through SavedRevocationCopy");
  }
}
