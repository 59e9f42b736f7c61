package dev.aura.app.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.AccessPolicy;
import dev.aura.access.PeerGrant;
import dev.aura.access.SyncAction;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventCodec;
import dev.aura.sync.EventId;
import dev.aura.sync.SyncPath;
import dev.aura.testkit.JoinTokenKit;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.RevocationCheck;
import dev.aura.token.VerifiedPeerIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof an event carries of its writer, as a peer receiving it through a forwarding peer checks it: the
 * forwarder can pass events on, but not alter them, pass them off as another peer's, or lend them its grant.
 */
class WriterProofTest {
  private static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  private static final PeerId BOB = PeerId.parse("peer_0b0b0b0b");
  private static final PeerId CAROL = PeerId.parse("peer_0c0c0c0c");
  private static final WorkspaceName WIDGET = WorkspaceName.parse("widget");

  @TempDir
  Path temp;

  private final JoinTokenKit kit = JoinTokenKit.create();
  private OwnIdentity alice;
  private OwnIdentity bob;
  private OwnIdentity carol;
  private PeerIdentityVerifier atDave;

  private OwnIdentity identity(String name, PeerId peer, String subject, Role role) throws Exception {
    OwnIdentity own = OwnIdentity.open(temp.resolve(name), kit.clock(), null);
    own.accept(kit.peerIdentity(peer, subject, role, Set.of(WIDGET), own.tls().fingerprint()).compact(),
        kit.peerIdentityVerifierBuilder().ownWorkspaces(Set::of).withoutRevocationCheck().build());
    return own;
  }

  @BeforeEach
  void identities() throws Exception {
    alice = identity("alice", ALICE, "alice@acme.com", Role.MEMBER);
    bob = identity("bob", BOB, "bob@acme.com", Role.MEMBER);
    carol = identity("carol", CAROL, "carol@contractor.com", Role.READ_ONLY);
    atDave = kit.peerIdentityVerifierBuilder().ownWorkspaces(() -> Set.of(WIDGET)).withoutRevocationCheck().build();
  }

  private ObjectNode event(PeerId author, String path) {
    byte[] content = "from alice\n".getBytes(StandardCharsets.UTF_8);
    return EventCodec.writeSubmitted(new EventId(author, 7), Change.putFile(SyncPath.parse(path),
        ContentHash.of(content), content.length, false, 0, kit.clock().instant()));
  }

  private ObjectNode signedBy(OwnIdentity writer, ObjectNode event) {
    WriterProof.sign(writer, WIDGET, event);
    return event;
  }

  @Test
  void aGenuineProof_namesItsWriter_afterAnyNumberOfHops() throws Exception {
    ObjectNode event = signedBy(alice, event(ALICE, "notes.txt"));
    ObjectNode forwarded = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
        .readValue(dev.aura.app.protocol.Wire.write(event), ObjectNode.class); // as it arrives after a hop

    VerifiedPeerIdentity writer = WriterProof.verify(forwarded, WIDGET, atDave);

    assertThat(writer.peer()).isEqualTo(ALICE);
    assertThat(writer.keyFingerprint()).isEqualTo(alice.tls().fingerprint());
  }

  @Test
  void anEventAlteredOnTheWay_isRefused() {
    ObjectNode event = signedBy(alice, event(ALICE, "notes.txt"));
    ObjectNode change = (ObjectNode) event.findParent("path");
    change.put("path", "other.txt");

    assertThatThrownBy(() -> WriterProof.verify(event, WIDGET, atDave)).isInstanceOf(DirectException.class)
        .hasMessage("the writer's signature does not match the event");
  }

  @Test
  void aForwarderSigningAnotherPeersEvent_withThatPeersIdentity_isRefused() {
    ObjectNode event = signedBy(bob, event(ALICE, "notes.txt"));
    ObjectNode writer = (ObjectNode) event.path("writer");
    writer.put("identity", alice.compact().orElseThrow()); // alice's identity, bob's key and signature

    assertThatThrownBy(() -> WriterProof.verify(event, WIDGET, atDave)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("the writer's identity was refused: peer identity is for another key");
  }

  @Test
  void aForwarderSigningWithItsOwnKey_underTheWritersCertificate_isRefused() {
    ObjectNode event = signedBy(bob, event(ALICE, "notes.txt"));
    ObjectNode writer = (ObjectNode) event.path("writer");
    writer.put("identity", alice.compact().orElseThrow());
    writer.put("certificate", alice.certificateBase64());

    assertThatThrownBy(() -> WriterProof.verify(event, WIDGET, atDave)).isInstanceOf(DirectException.class)
        .hasMessage("the writer's signature does not match the event");
  }

  @Test
  void aReadOnlyWritersEvent_verifiesAsHers_andHerGrantRefusesThePush_whoeverForwardsIt() throws Exception {
    ObjectNode event = signedBy(carol, event(CAROL, "carol.txt"));

    VerifiedPeerIdentity writer = WriterProof.verify(event, WIDGET, atDave);
    var decision = AccessPolicy.of(RevocationCheck.none(), kit.clock()).decide(PeerGrant.of(writer),
        SyncAction.PUSH, WIDGET);

    assertThat(writer.peer()).isEqualTo(CAROL);
    assertThat(decision.isAllowed()).isFalse();
    assertThat(decision.message()).hasValue("role not permitted: carol@contractor.com is read-only: it may pull"
        + " from widget but not push to it");
  }

  @Test
  void anEventWithoutProof_isRefused() {
    assertThatThrownBy(() -> WriterProof.verify(event(ALICE, "notes.txt"), WIDGET, atDave))
        .isInstanceOf(DirectException.class)
        .hasMessage("no proof of its writer (writer: identity, certificate, signature)");
  }

  @Test
  void anExpiredWriterIdentity_isRefused() {
    ObjectNode event = signedBy(alice, event(ALICE, "notes.txt"));
    kit.clock().set(JoinTokenKit.START.plus(JoinTokenKit.PEER_REFRESH_PERIOD).plusSeconds(61));

    assertThatThrownBy(() -> WriterProof.verify(event, WIDGET, atDave)).isInstanceOf(DirectException.class)
        .hasMessageStartingWith("the writer's identity was refused: token expired");
  }
}
