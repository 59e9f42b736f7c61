package dev.aura.app.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.revocation.PeerRevocationCache;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.testkit.JoinTokenKit;
import dev.aura.token.PeerIdentityIssuer;
import dev.aura.token.PeerIdentityVerifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct handshake on loopback, in one JVM: two peers with their own key pairs and identities signed by
 * a test Mothership; every refusal is typed and worded as the verifier words it, on the dialing side.
 */
class DirectNodeTest {
  private static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  private static final PeerId BOB = PeerId.parse("peer_0b0b0b0b");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Set<WorkspaceName> WIDGET = Set.of(WorkspaceName.parse("widget"));

  @TempDir
  Path temp;

  private final JoinTokenKit kit = JoinTokenKit.create();
  private OwnIdentity alice;
  private OwnIdentity bob;
  private final BlockingQueue<DirectLink> accepted = new LinkedBlockingQueue<>();

  private PeerIdentityVerifier selfCheck() {
    return kit.peerIdentityVerifierBuilder().ownWorkspaces(Set::of).withoutRevocationCheck().build();
  }

  private PeerIdentityVerifier verifierFor(OwnIdentity own) {
    return kit.peerIdentityVerifierBuilder().ownWorkspaces(own::workspaces).withoutRevocationCheck().build();
  }

  @BeforeEach
  void identities() throws Exception {
    alice = OwnIdentity.open(temp.resolve("alice"), kit.clock(), null);
    bob = OwnIdentity.open(temp.resolve("bob"), kit.clock(), null);
    alice.accept(kit.peerIdentity(ALICE, "alice@acme.com", Role.MEMBER, WIDGET, alice.tls().fingerprint())
        .compact(), selfCheck());
    bob.accept(kit.peerIdentity(BOB, "bob@acme.com", Role.MEMBER, WIDGET, bob.tls().fingerprint()).compact(),
        selfCheck());
  }

  private Hint listen(OwnIdentity own, PeerIdentityVerifier verifier) throws Exception {
    DirectNode node = new DirectNode(own, verifier, accepted::add);
    InetSocketAddress at = node.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new Hint("127.0.0.1", at.getPort());
  }

  private DirectLink dial(OwnIdentity own, PeerId expected, Hint hint) throws DirectException {
    return new DirectNode(own, verifierFor(own), l -> { }).dial(expected, hint, TIMEOUT);
  }

  /** A handler that ignores messages and records why the link closed. */
  private static DirectLink.Handler closingInto(BlockingQueue<String> reasons) {
    return new DirectLink.Handler() {
      @Override
      public void received(DirectLink l, com.fasterxml.jackson.databind.node.ObjectNode message) {}

      @Override
      public void closed(DirectLink l, String reason) {
        reasons.add(reason);
      }
    };
  }

  @Test
  void genuineIdentities_onTheirOwnKeys_authenticateBothSides() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));
    DirectLink link = dial(alice, BOB, hint);
    DirectLink theirs = accepted.poll(5, TimeUnit.SECONDS);

    assertThat(link.remote().peer()).isEqualTo(BOB);
    assertThat(theirs).isNotNull();
    assertThat(theirs.remote().peer()).isEqualTo(ALICE);
    assertThat(theirs.remote().keyFingerprint()).isEqualTo(alice.tls().fingerprint());
    BlockingQueue<String> closedWith = new LinkedBlockingQueue<>();
    theirs.start(closingInto(closedWith));
    link.close("revoked", "peer revoked: " + ALICE);

    assertThat(closedWith.poll(5, TimeUnit.SECONDS)).isEqualTo("revoked: peer revoked: " + ALICE);
    assertThat(theirs.isOpen()).isFalse();
  }

  @Test
  void aMessageTheOtherSideCannotHandle_closesTheLinkOnBothSides_withATypedReason() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));
    DirectLink link = dial(alice, BOB, hint);
    DirectLink theirs = accepted.poll(5, TimeUnit.SECONDS);
    assertThat(theirs).isNotNull();
    BlockingQueue<String> aliceSaw = new LinkedBlockingQueue<>();
    BlockingQueue<String> bobSaw = new LinkedBlockingQueue<>();
    link.start(closingInto(aliceSaw));
    theirs.start(new DirectLink.Handler() {
      @Override
      public void received(DirectLink l, com.fasterxml.jackson.databind.node.ObjectNode message) {
        dev.aura.sync.ContentHash.parse(message.path("hash").asText()); // as blob_get does
      }

      @Override
      public void closed(DirectLink l, String reason) {
        bobSaw.add(reason);
      }
    });
    com.fasterxml.jackson.databind.node.ObjectNode get = dev.aura.app.protocol.Wire.object();
    get.put("type", "blob_get");
    get.put("hash", "not-a-hash");
    link.send(get);

    String bobs = bobSaw.poll(5, TimeUnit.SECONDS);
    assertThat(bobs).startsWith("bad_message: a message could not be handled: ");
    assertThat(aliceSaw.poll(5, TimeUnit.SECONDS)).isEqualTo(bobs);
    assertThat(link.isOpen()).isFalse();
    assertThat(theirs.isOpen()).isFalse();
  }

  @Test
  void swappedIdentity_someoneElsesOnAnotherKey_isRefusedAsKeyMismatch() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));
    OwnIdentity mallory = OwnIdentity.open(temp.resolve("mallory"), kit.clock(), null);
    OwnIdentity showingAlices = OwnIdentity.showingUnchecked(mallory.tls(), alice.compact().orElseThrow());

    assertThatThrownBy(() -> dial(showingAlices, BOB, hint)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("identity refused: peer identity is for another key");
    assertThat(accepted).isEmpty();
  }

  @Test
  void forgedIdentity_signedByAnotherMothershipsKey_isRefusedAsInvalidSignature() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));
    JoinTokenKit other = JoinTokenKit.create();
    OwnIdentity forged = OwnIdentity.showingUnchecked(alice.tls(), other.peerIdentity(ALICE, "alice@acme.com",
        Role.ADMIN, Set.of(), alice.tls().fingerprint()).compact());

    assertThatThrownBy(() -> dial(forged, BOB, hint)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("identity refused: invalid signature");
  }

  @Test
  void foreignIdentity_issuedForAnotherMothership_isRefusedAsWrongIssuer() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));
    PeerIdentityIssuer foreignIssuer = PeerIdentityIssuer.builder().mothershipId(MothershipId.parse("mship_00000001"))
        .keyRing(kit.keyRing()).clock(kit.clock()).refreshPeriod(Duration.ofHours(1)).build();
    OwnIdentity foreign = OwnIdentity.showingUnchecked(alice.tls(), foreignIssuer.issue(ALICE, "alice@acme.com",
        Role.MEMBER, kit.clock().instant(), WIDGET, alice.tls().fingerprint()).compact());

    assertThatThrownBy(() -> dial(foreign, BOB, hint)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("identity refused: wrong issuer");
  }

  @Test
  void expiredIdentity_isRefusedAsExpired() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));
    kit.clock().set(JoinTokenKit.START.plus(JoinTokenKit.PEER_REFRESH_PERIOD).plusSeconds(61));

    assertThatThrownBy(() -> dial(alice, BOB, hint)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("identity refused: token expired");
  }

  @Test
  void identityOfAnotherPeerThanTheHintsOwner_isRefused() throws Exception {
    Hint hint = listen(bob, verifierFor(bob));

    assertThatThrownBy(() -> dial(alice, PeerId.parse("peer_0c0c0c0c"), hint)).isInstanceOf(DirectException.class)
        .hasMessage("identity refused: peer identity is for another peer: expected peer_0c0c0c0c, the peer at "
            + hint + " is " + BOB);
  }

  @Test
  void aRevocationCopyNeverSynced_isStale_andRefusesEveryNewConnection() throws Exception {
    PeerRevocationCache empty = PeerRevocationCache.builder().keys(kit.keyRing()::publicKeys).clock(kit.clock())
        .maxStaleness(Duration.ofHours(1)).build();
    Hint hint = listen(bob, kit.peerIdentityVerifierBuilder().ownWorkspaces(bob::workspaces).revocation(empty)
        .build());

    assertThatThrownBy(() -> dial(alice, BOB, hint)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("identity refused: revoked: the revocation list is too old to trust");
  }

  @Test
  void aClosedPort_isRefused() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> dial(alice, BOB, new Hint("127.0.0.1", port))).isInstanceOf(DirectException.class)
        .hasMessage("refused");
  }
}
