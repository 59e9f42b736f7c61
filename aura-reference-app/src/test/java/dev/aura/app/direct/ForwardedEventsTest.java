package dev.aura.app.direct;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventCodec;
import dev.aura.sync.EventId;
import dev.aura.sync.SyncPath;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.PublicKeyRing;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forwarding peer that tries to launder events, against a real {@code aura sync}: bob (a member, with his
 * real key and Mothership-signed identity) dials dave directly and passes on events. Dave decides on the
 * writer's proof and grant, never bob's: carol's genuinely signed event is refused (she is read-only), an event
 * bob signs as alice's is refused, and alice's genuine event, forwarded by bob, is applied.
 */
class ForwardedEventsTest {
  private static final Duration BOUND = Duration.ofSeconds(40);
  private static final WorkspaceName DEFAULT = WorkspaceName.parse("default");

  @TempDir
  Path temp;

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs the peer's {@code aura sync} until the Mothership signed its identity, and returns that identity. */
  private OwnIdentity identityOf(MothershipFixture.Peer peer, String name) throws Exception {
    return identityOf(peer, name, "default");
  }

  private OwnIdentity identityOf(MothershipFixture.Peer peer, String name, String workspace) throws Exception {
    Path dir = Files.createDirectories(temp.resolve("trees").resolve(name));
    try (Background sync = new Background(peer.env(), "sync", "--dir", dir.toString(), "--workspace", workspace,
        "--listen", "127.0.0.1:" + freePort())) {
      sync.awaitOutput("direct: peer identity until", 1, BOUND);
    }
    String compact = Files.readString(peer.home().resolve(OwnIdentity.IDENTITY_FILE)).trim();
    return OwnIdentity.showingUnchecked(OwnIdentity.ensureKeys(peer.home(), Clock.systemUTC()), compact);
  }

  private static ObjectNode event(PeerId author, String path, String text, OwnIdentity signer) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    ObjectNode json = EventCodec.writeSubmitted(new EventId(author, 1), Change.putFile(SyncPath.parse(path),
        ContentHash.of(content), content.length, false, 0, java.time.Instant.now()));
    WriterProof.sign(signer, DEFAULT, json);
    json.put("content", Base64.getEncoder().encodeToString(content));
    return json;
  }

  private static ObjectNode frame(ObjectNode event) {
    ObjectNode frame = Wire.object();
    frame.put("type", "direct_events");
    frame.put("workspace", DEFAULT.value());
    frame.putArray("events").add(event);
    return frame;
  }

  /** Dials {@code port} as the peer {@code own} shows, collecting what arrives. */
  private static DirectLink dial(MothershipFixture.Peer as, OwnIdentity own, PeerId to, int port,
      BlockingQueue<ObjectNode> into) throws Exception {
    PeerState state = new PeerState(as.env().home());
    PublicKeyRing ring = PublicKeyRing.fromJwkSet(state.mothershipKeys().orElseThrow());
    PeerIdentityVerifier verifier = PeerIdentityVerifier.builder().mothershipId(state.requireMembership()
        .mothershipId()).keys(() -> ring).clock(as.env().clock()).ownWorkspaces(Set::of).withoutRevocationCheck()
        .build();
    DirectLink link = new DirectNode(own, verifier, l -> { }).dial(to, new Hint("127.0.0.1", port), BOUND);
    link.start(new DirectLink.Handler() {
      @Override
      public void received(DirectLink l, ObjectNode message) {
        into.add(message);
      }

      @Override
      public void closed(DirectLink l, String reason) {}
    });
    return link;
  }

  @Test
  void eventsGoOnlyToPeersThatMayPullTheWorkspace_notToOneLinkedThroughAnother() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config("[peers]\nheartbeat_interval = \"1s\"\n")
        .start()) {
      MothershipFixture.Peer bob = m.peer("bob");
      MothershipFixture.Peer eve = m.peer("eve");
      MothershipFixture.Peer dave = m.peer("dave");
      ok(bob.join(m.issue("--for", "bob@acme.com")));
      ok(eve.join(m.issue("--for", "eve@acme.com", "--workspace", "other")));
      PeerId daveId = PeerId.parse(ok(dave.join(m.issue("--for", "dave@acme.com"))).field("peer_id"));
      OwnIdentity bobOwn = identityOf(bob, "bob");
      OwnIdentity eveOwn = identityOf(eve, "eve", "other");
      Path d = Files.createDirectories(temp.resolve("trees/dave"));
      int port = freePort();
      try (Background syncD = new Background(dave.env(), "sync", "--dir", d.toString(), "--listen",
          "127.0.0.1:" + port)) {
        syncD.awaitOutput("syncing: ", 1, BOUND);
        BlockingQueue<ObjectNode> toEve = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> toBob = new LinkedBlockingQueue<>();
        // eve shares a workspace with dave (every one, as his identity names none), so the link is accepted
        DirectLink eveLink = dial(eve, eveOwn, daveId, port, toEve);
        DirectLink bobLink = dial(bob, bobOwn, daveId, port, toBob);
        syncD.awaitOutput("direct: connected to", 2, BOUND);

        Files.writeString(d.resolve("plans.txt"), "for default only\n");
        ObjectNode events = toBob.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(events).isNotNull();
        assertThat(events.path("type").asText()).isEqualTo("direct_events");
        assertThat(events.path("events").get(0).findValue("path").asText()).isEqualTo("plans.txt");
        Thread.sleep(500); // both links were served by the same send: eve's frame, had there been one, is here
        assertThat(toEve).as("eve may not pull default: its events never go to her").isEmpty();
        eveLink.close();
        bobLink.close();
      }
    }
  }

  @Test
  void aForwarder_cannotLaunderAReadOnlyWritersEvent_norSignAsAnother_butPassesOnAGenuineOne() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config("[peers]\nheartbeat_interval = \"1s\"\n")
        .start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      MothershipFixture.Peer carol = m.peer("carol");
      MothershipFixture.Peer dave = m.peer("dave");
      PeerId aliceId = PeerId.parse(ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id"));
      PeerId bobId = PeerId.parse(ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id"));
      PeerId carolId = PeerId.parse(ok(carol.join(m.issue("--for", "carol@contractor.com", "--role",
          "read-only"))).field("peer_id"));
      PeerId daveId = PeerId.parse(ok(dave.join(m.issue("--for", "dave@acme.com"))).field("peer_id"));
      OwnIdentity aliceOwn = identityOf(alice, "alice");
      OwnIdentity bobOwn = identityOf(bob, "bob");
      OwnIdentity carolOwn = identityOf(carol, "carol");

      Path d = Files.createDirectories(temp.resolve("trees/dave"));
      int port = freePort();
      try (Background syncD = new Background(dave.env(), "sync", "--dir", d.toString(), "--listen",
          "127.0.0.1:" + port)) {
        syncD.awaitOutput("syncing: ", 1, BOUND);
        PeerState bobState = new PeerState(bob.env().home());
        PublicKeyRing ring = PublicKeyRing.fromJwkSet(bobState.mothershipKeys().orElseThrow());
        PeerIdentityVerifier verifier = PeerIdentityVerifier.builder()
            .mothershipId(bobState.requireMembership().mothershipId()).keys(() -> ring).clock(bob.env().clock())
            .ownWorkspaces(Set::of).withoutRevocationCheck().build();
        DirectLink link = new DirectNode(bobOwn, verifier, l -> { })
            .dial(daveId, new Hint("127.0.0.1", port), BOUND);
        BlockingQueue<ObjectNode> answers = new LinkedBlockingQueue<>();
        link.start(new DirectLink.Handler() {
          @Override
          public void received(DirectLink l, ObjectNode message) {
            answers.add(message);
          }

          @Override
          public void closed(DirectLink l, String reason) {}
        });

        link.send(frame(event(carolId, "carol.txt", "carol's, passed on by bob\n", carolOwn)));
        ObjectNode refused = answers.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused).isNotNull();
        assertThat(refused.path("type").asText()).isEqualTo("direct_refused");
        assertThat(refused.path("message").asText()).isEqualTo("role not permitted: carol@contractor.com is"
            + " read-only: it may pull from default but not push to it");
        assertThat(syncD.err()).contains("direct: refused carol.txt from " + bobId + ": role not permitted:"
            + " carol@contractor.com is read-only");

        link.send(frame(event(aliceId, "forged.txt", "bob's, claimed as alice's\n", bobOwn)));
        ObjectNode forged = answers.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(forged).isNotNull();
        assertThat(forged.path("message").asText()).isEqualTo("the event is " + aliceId + "'s but its proof is "
            + bobId + "'s");

        link.send(frame(event(aliceId, "genuine.txt", "alice's, passed on by bob\n", aliceOwn)));
        syncD.awaitOutput("pulled: genuine.txt (directly from " + aliceId + ", forwarded by " + bobId
            + ", provisional until the Mothership sequences it)", 1, BOUND);
        assertThat(d.resolve("genuine.txt")).hasContent("alice's, passed on by bob");
        assertThat(d.resolve("carol.txt")).doesNotExist();
        assertThat(d.resolve("forged.txt")).doesNotExist();
        assertThat(answers).isEmpty();
        link.close();
      }
    }
  }
}
