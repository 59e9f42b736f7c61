package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import dev.aura.app.testing.Trees;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct peer-to-peer connections end to end: a real Mothership and real {@code aura sync} peers on
 * loopback, each with its own {@code AURA_HOME}, directory and listen port.
 */
class DirectSyncTest {
  private static final Duration BOUND = Duration.ofSeconds(40);
  private static final String CONFIG = "[peers]\nheartbeat_interval = \"1s\"\n";

  @TempDir
  Path temp;

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private Path dir(String name) throws Exception {
    return Files.createDirectories(temp.resolve("trees").resolve(name));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Holds a port without listening on it: connections are refused and nobody else can bind it. */
  private static Socket hold(int port) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private static Background sync(MothershipFixture.Peer peer, Path dir, int port) {
    return new Background(peer.env(), "sync", "--dir", dir.toString(), "--listen", "127.0.0.1:" + port,
        "--direct-retry", "1s", "--verbose");
  }

  private static void awaitDetail(MothershipFixture m, String peerId, String pattern) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = m.host("mothership", "peers", "--detail").out();
      if (last.lines().anyMatch(l -> l.startsWith(peerId) && l.matches(pattern))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no row of " + peerId + " matching " + pattern + " in\n" + last);
  }

  @Test
  void directPath_isUsed_forContent_andCounted_andARevocationClosesIt_onBothSides() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      assertThat(OwnerPermissions.of(alice.home().resolve("peer-tls/peer.key"))).isEqualTo("rw-------");
      Path a = dir("alice");
      Path b = dir("bob");
      int pa = freePort();
      int pb = freePort();
      try (Background syncA = sync(alice, a, pa); Background syncB = sync(bob, b, pb)) {
        syncA.awaitOutput("direct: connected to " + bobId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + aliceId, 1, BOUND);
        assertThat(OwnerPermissions.of(alice.home().resolve("peer-identity.jws"))).isEqualTo("rw-------");
        assertThat(ok(alice.run("mothership", "peer-config", "--show-announced")).out())
            .isEqualTo("announced: 127.0.0.1:" + pa + "\n");

        // Both peers dial each other at start and each closes one of the two links as a duplicate; an event
        // sent on that link in that instant goes the relay's way (nothing is lost). A first file, by either
        // path, waits until the links have settled.
        Files.writeString(a.resolve("warm-up.txt"), "first\n");
        Trees.await(b.resolve("warm-up.txt"), BOUND);
        awaitUnacked(alice, 0);
        int settled = syncB.out().length();

        Files.writeString(a.resolve("hello.txt"), "over the direct link\n");
        Trees.await(b.resolve("hello.txt"), BOUND);
        assertThat(Files.readString(b.resolve("hello.txt"))).isEqualTo("over the direct link\n");
        // with the Mothership up the event itself goes direct too, applied at once; the Mothership confirms it
        syncB.awaitOutput("pulled: hello.txt (directly from " + aliceId + ", provisional until the Mothership"
            + " sequences it)", 1, BOUND);
        awaitUnacked(alice, 0);
        assertThat(m.host("mothership", "status").field("workspaces")).as("sequenced once").startsWith("default at 2");
        Files.writeString(b.resolve("reply.txt"), "and back\n");
        syncA.awaitOutput("pulled: reply.txt (directly from " + bobId, 1, BOUND);
        awaitUnacked(bob, 0);
        assertThat(m.host("mothership", "status").field("workspaces"))
            .as("one event each, each sequenced once: what arrived directly is not pushed again")
            .startsWith("default at 3");
        assertThat(syncB.out().substring(settled)).as("the sequenced event found bob's disk holding it")
            .doesNotContain("pulled: hello.txt\n").doesNotContain("direct: fetched");
        awaitDetail(m, aliceId.compareTo(bobId) < 0 ? aliceId : bobId, ".* 1/1 .*");

        ok(m.host("mothership", "peer", "revoke", "bob@acme.com"));
        Cli.Result ended = syncB.awaitExit(BOUND);
        // whichever comes first: alice's copy learns the revocation and closes (her link's reader may report it
        // before her own line), or bob exits on his 4003 close
        assertThat(syncA.out()).containsPattern("direct: (closed the connection to " + bobId + " \\(peer revoked\\)"
            + "|connection to " + bobId + " closed \\((closed: the peer stopped|revoked: peer revoked: )\\))");
        assertThat(ended.toString()).contains("peer revoked");
        // whichever comes first: alice's close (revoked: peer revoked: ...) or bob's own exit on the 4003 close
        assertThat(ended.out()).containsPattern("direct: connection to " + aliceId
            + " closed \\((revoked: peer revoked: |closed: the peer stopped)");
      }
      assertThat(OwnerPermissions.of(alice.home().resolve("revocations/revocations.jws"))).isEqualTo("rw-------");
    }
  }

  @Test
  void unreachableHints_fallBackToTheRelay_thenSwitchBack_whenThePortListens() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      int pa = freePort();
      int pb = freePort();
      Socket heldA = hold(pa);
      Socket heldB = hold(pb);
      try (Background syncA = sync(alice, a, pa); Background syncB = sync(bob, b, pb)) {
        syncA.awaitOutput("warning: cannot listen for direct connections on 127.0.0.1:" + pa, 1, BOUND);
        syncA.awaitOutput(bobId + " not reachable directly: 127.0.0.1:" + pb + " (refused); relaying through the"
            + " Mothership, retrying in 1s", 3, BOUND);
        awaitDetail(m, aliceId, ".* 0/3 .*");
        assertThat(ok(alice.run("doctor", "--explain", "DR015")).out())
            .startsWith("DR015  direct connections failing (warning)\ncause: ");
        assertThat(alice.run("doctor").out()).containsPattern("(?m)^warning +DR015 direct connections failing: 0/3"
            + " of the last direct attempts succeeded; failing: " + bobId + " at 127\\.0\\.0\\.1:" + pb
            + " \\(refused\\); relaying through the Mothership$");

        Files.writeString(a.resolve("relayed.txt"), "through the Mothership\n");
        Trees.await(b.resolve("relayed.txt"), BOUND); // nothing breaks while only the relay works
        assertThat(syncB.out()).doesNotContain("direct: fetched");

        heldB.close();
        syncB.awaitOutput("direct: listening on 127.0.0.1:" + pb, 1, BOUND);
        syncA.awaitOutput("direct: connected to " + bobId + " at 127.0.0.1:" + pb, 1, BOUND);
        awaitDetail(m, aliceId, ".* 1/3 .*");
        Files.writeString(b.resolve("direct.txt"), "direct again\n");
        Trees.await(a.resolve("direct.txt"), BOUND);
        syncA.awaitOutput("pulled: direct.txt (directly from " + bobId, 1, BOUND);
        assertThat(alice.run("doctor").out())
            .containsPattern("(?m)^ok +DR015 direct connections failing: 1/3 of the last direct attempts succeeded$");
      } finally {
        heldA.close();
        heldB.close();
      }
    }
  }

  @Test
  void mothershipStopped_aRevokedPeer_isStillRefused_afterTheRefusingPeerRestarts() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      int pa = freePort();
      int pb = freePort();
      try (Background syncA = sync(alice, a, pa); Background syncB = sync(bob, b, pb)) {
        syncA.awaitOutput("direct: connected to " + bobId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + aliceId, 1, BOUND);
        ok(m.host("mothership", "peer", "revoke", "bob@acme.com"));
        syncA.awaitOutput("revocations: version 1", 1, BOUND);
        syncB.awaitExit(BOUND);
      }
      m.stopServer();
      try (Background syncA = sync(alice, a, pa)) { // restarted with the Mothership down: the saved copy refuses
        syncA.awaitOutput("direct: listening on 127.0.0.1:" + pa, 1, BOUND);
        assertThat(syncA.err()).doesNotContain("revocation list was refused");
        try (Background syncB = sync(bob, b, pb)) {
          syncB.awaitOutput(aliceId + " not reachable directly: 127.0.0.1:" + pa + " (identity refused: revoked: ",
              1, BOUND);
        }
        assertThat(syncA.out()).doesNotContain("direct: connected to " + bobId);
      }
    }
  }

  @Test
  void aRolledBackRevocationCopy_isRefusedAtRestart_andDirectConnectionsWaitForAFreshSync() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      ok(m.peer("carol").join(m.issue("--for", "carol@acme.com")));
      ok(m.peer("dave").join(m.issue("--for", "dave@acme.com")));
      Path a = dir("alice");
      Path b = dir("bob");
      int pa = freePort();
      int pb = freePort();
      Path copy = alice.home().resolve("revocations/revocations.jws");
      byte[] older;
      try (Background syncB = sync(bob, b, pb)) {
        try (Background syncA = sync(alice, a, pa)) {
          syncA.awaitOutput("direct: connected to " + bobId, 1, BOUND);
          ok(m.host("mothership", "peer", "revoke", "carol@acme.com"));
          syncA.awaitOutput("revocations: version 1", 1, BOUND);
          older = Files.readAllBytes(copy);
          ok(m.host("mothership", "peer", "revoke", "dave@acme.com"));
          syncA.awaitOutput("revocations: version 2", 1, BOUND);
          syncB.awaitOutput("revocations: version 2", 1, BOUND);
        }
        Files.write(copy, older); // alice is stopped: her saved list is replaced by the older, genuinely signed one
        m.stopServer();
        try (Background syncA = sync(alice, a, pa)) {
          syncA.awaitOutput("direct: listening on 127.0.0.1:" + pa, 1, BOUND);
          assertThat(syncA.err()).contains("warning: the saved revocation list was refused (rollback): revocation update is older than the copy held: the saved copy "
              + copy + " holds version 1, but version 2 was saved before").contains("new direct connections are"
              + " refused until this peer syncs with its Mothership");
          syncB.awaitOutput(aliceId + " not reachable directly: 127.0.0.1:" + pa + " (identity refused: revoked: the"
              + " revocation list is too old to trust", 1, BOUND);
          assertThat(syncA.out()).doesNotContain("direct: connected to");

          m.startServer(); // a fresh sync: alice's copy is whole again, and so is her direct path
          syncA.awaitOutput("direct: connected to " + bobId, 1, BOUND);
        }
      }
      assertThat(new String(Files.readAllBytes(copy), java.nio.charset.StandardCharsets.US_ASCII))
          .contains("version 2\n");
    }
  }

  @Test
  void mothershipStopped_editsTravelDirectly_aReadOnlyPeersAreRefused_andAllConvergeWhenItIsBack()
      throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      MothershipFixture.Peer carol = m.peer("carol");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      String carolId = ok(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")))
          .field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      Path c = dir("carol");
      Files.writeString(a.resolve("shared.txt"), "v1\n");
      try (Background syncA = sync(alice, a, freePort()); Background syncB = sync(bob, b, freePort());
          Background syncC = sync(carol, c, freePort())) {
        Trees.await(b.resolve("shared.txt"), BOUND);
        Trees.await(c.resolve("shared.txt"), BOUND);
        syncB.awaitOutput("direct: connected to " + aliceId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + carolId, 1, BOUND);

        m.stopServer();
        syncA.awaitOutput("reconnecting in", 1, BOUND);
        syncB.awaitOutput("reconnecting in", 1, BOUND);
        syncC.awaitOutput("reconnecting in", 1, BOUND);
        Files.writeString(a.resolve("shared.txt"), "v2, written while the Mothership was down\n");
        Files.writeString(a.resolve("offline.txt"), "alice offline\n");
        Files.writeString(b.resolve("bob.txt"), "bob offline\n");
        Files.writeString(c.resolve("carol.txt"), "carol was here\n");

        // directly from alice, or forwarded by carol when her copy arrives first: alice's event either way
        syncB.awaitOutput("pulled: offline.txt (directly from " + aliceId, 1, BOUND);
        syncB.awaitOutput("pulled: shared.txt (directly from " + aliceId, 1, BOUND);
        syncA.awaitOutput("pulled: bob.txt (directly from " + bobId, 1, BOUND);
        assertThat(b.resolve("shared.txt")).hasContent("v2, written while the Mothership was down");
        awaitErr(syncC, "refused: carol.txt: role not permitted: carol@contractor.com is read-only: it may pull"
            + " from default but not push to it (by " + bobId + ", directly)");
        assertThat(syncB.err()).contains("direct: refused carol.txt from " + carolId + ": role not permitted");
        assertThat(b.resolve("carol.txt")).doesNotExist();
        assertThat(a.resolve("carol.txt")).doesNotExist();
        Trees.await(c.resolve("offline.txt"), BOUND); // carol pulls it from alice on her own link, in her own time
        assertThat(c.resolve("offline.txt")).hasContent("alice offline");
        assertThat(ok(bob.run("wal", "status")).out()).as("what arrived directly is not bob's own edit")
            .contains("unacked events: 1");

        m.startServer();
        awaitUnacked(alice, 0);
        awaitUnacked(bob, 0);
        awaitTree(a, b);
        Trees expected = Trees.of(a);
        assertThat(expected.entries()).containsOnlyKeys("shared.txt", "offline.txt", "bob.txt");
        assertThat(m.host("mothership", "status").field("workspaces"))
            .as("1 + alice's 2 + bob's 1 events: nothing sequenced twice").startsWith("default at 4");
        awaitErr(syncC, "refused: carol.txt: role not permitted");
        Files.delete(c.resolve("carol.txt")); // carol's refused edit stays hers only
        awaitTree(a, c);
        String afterRestart = syncB.out().substring(syncB.out().lastIndexOf("syncing: "));
        assertThat(afterRestart).as("alice's sequenced events found bob's disk holding them").doesNotContain("pulled:");
      }
    }
  }

  @Test
  void mothershipUp_aReadOnlyPeersDirectEvents_areRefusedByThePeers_asByTheMothership() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer bob = m.peer("bob");
      MothershipFixture.Peer carol = m.peer("carol");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      String carolId = ok(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")))
          .field("peer_id");
      Path b = dir("bob");
      Path c = dir("carol");
      try (Background syncB = sync(bob, b, freePort()); Background syncC = sync(carol, c, freePort())) {
        syncC.awaitOutput("direct: connected to " + bobId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + carolId, 1, BOUND);
        Files.writeString(c.resolve("carol.txt"), "carol was here\n");
        awaitErr(syncC, "refused: carol.txt: role not permitted: carol@contractor.com is read-only: it may pull"
            + " from default but not push to it (by " + bobId + ", directly)");
        assertThat(syncB.err()).contains("direct: refused carol.txt from " + carolId + ": role not permitted");
        Files.writeString(b.resolve("bob.txt"), "bob's\n");
        Trees.await(c.resolve("bob.txt"), BOUND);
        assertThat(b.resolve("carol.txt")).doesNotExist();
        assertThat(m.host("mothership", "status").field("workspaces")).startsWith("default at 1");
      }
    }
  }

  @Test
  void mothershipStopped_anEditCrossesALineOfPeers_A_B_C_andAReadOnlyWritersIsNotForwarded() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      MothershipFixture.Peer dave = m.peer("dave");
      MothershipFixture.Peer carol = m.peer("carol");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      String daveId = ok(dave.join(m.issue("--for", "dave@acme.com"))).field("peer_id");
      String carolId = ok(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")))
          .field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      Path d = dir("dave");
      Path c = dir("carol");
      int pa = freePort();
      int pd = freePort();
      int pc = freePort();
      // alice, dave and carol cannot listen (their ports are held): each reaches bob only, a line through him
      try (Socket heldA = hold(pa); Socket heldD = hold(pd); Socket heldC = hold(pc);
          Background syncA = sync(alice, a, pa); Background syncB = sync(bob, b, freePort());
          Background syncD = sync(dave, d, pd); Background syncC = sync(carol, c, pc)) {
        syncB.awaitOutput("direct: connected to " + aliceId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + daveId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + carolId, 1, BOUND);
        syncA.awaitOutput(daveId + " not reachable directly", 1, BOUND);

        m.stopServer();
        syncA.awaitOutput("reconnecting in", 1, BOUND);
        syncB.awaitOutput("reconnecting in", 1, BOUND);
        syncD.awaitOutput("reconnecting in", 1, BOUND);
        syncC.awaitOutput("reconnecting in", 1, BOUND);
        Files.writeString(a.resolve("line.txt"), "from alice, through bob\n");
        Files.writeString(c.resolve("carol.txt"), "carol was here\n");
        byte[] large = new byte[6 * 1024 * 1024 + 7]; // chunked: bob passes it on once applied, serving from his tree
        new java.util.Random(5).nextBytes(large);
        Files.move(Files.write(temp.resolve("large.bin"), large), a.resolve("large.bin"));

        syncD.awaitOutput("pulled: line.txt (directly from " + aliceId + ", forwarded by " + bobId
            + ", provisional until the Mothership sequences it)", 1, BOUND);
        assertThat(d.resolve("line.txt")).hasContent("from alice, through bob");
        syncD.awaitOutput("pulled: large.bin (directly from " + aliceId + ", forwarded by " + bobId, 1, BOUND);
        assertThat(Files.readAllBytes(d.resolve("large.bin"))).isEqualTo(large);
        syncB.awaitOutput("pulled: line.txt (directly from " + aliceId + ", provisional", 1, BOUND);
        syncC.awaitOutput("pulled: line.txt (directly from " + aliceId + ", forwarded by " + bobId, 1, BOUND);
        assertThat(syncD.out()).doesNotContain("direct: connected to " + aliceId);
        awaitErr(syncC, "refused: carol.txt: role not permitted: carol@contractor.com is read-only");
        assertThat(b.resolve("carol.txt")).doesNotExist();
        assertThat(d.resolve("carol.txt")).doesNotExist();
        assertThat(a.resolve("carol.txt")).doesNotExist();

        m.startServer();
        awaitUnacked(alice, 0);
        assertThat(m.host("mothership", "status").field("workspaces")).as("alice's two events, each sequenced once")
            .startsWith("default at 2");
      }
    }
  }

  @Test
  void mothershipStopped_a12MiBFile_travelsDirectlyInRanges_checkedByHash_andIsSequencedOnceWhenItIsBack()
      throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      try (Background syncA = sync(alice, a, freePort()); Background syncB = sync(bob, b, freePort())) {
        syncA.awaitOutput("direct: connected to " + bobId, 1, BOUND);
        syncB.awaitOutput("direct: connected to " + aliceId, 1, BOUND);
        m.stopServer();
        syncA.awaitOutput("reconnecting in", 1, BOUND);
        syncB.awaitOutput("reconnecting in", 1, BOUND);

        byte[] big = new byte[12 * 1024 * 1024]; // over the 8 MiB frame: it can only travel in ranges
        new java.util.Random(11).nextBytes(big);
        dev.aura.sync.ContentHash hash = dev.aura.sync.ContentHash.of(big);
        // what an interrupted earlier fetch left behind: the first 3 MiB; the fetch resumes after them
        Path partial = Files.createDirectories(bob.home().resolve("direct-partial"));
        Files.write(partial.resolve(hash.hex() + ".part"), java.util.Arrays.copyOf(big, 3 * 1024 * 1024));
        Path outside = Files.write(temp.resolve("big.bin"), big);
        Files.move(outside, a.resolve("big.bin"));
        Files.writeString(a.resolve("later.txt"), "written after the big one\n");

        syncB.awaitOutput("pulled: big.bin (directly from " + aliceId + ", provisional until the Mothership"
            + " sequences it)", 1, BOUND);
        syncB.awaitOutput("pulled: later.txt (directly from " + aliceId, 1, BOUND);
        assertThat(dev.aura.sync.ContentHash.of(Files.readAllBytes(b.resolve("big.bin")))).isEqualTo(hash);
        assertThat(syncB.out()).contains("direct: resuming " + hash.abbreviated() + " from " + aliceId
            + " at byte 3145728");
        assertThat(syncB.out().indexOf("pulled: big.bin")).as("in WAL order").isLessThan(
            syncB.out().indexOf("pulled: later.txt"));
        assertThat(bob.home().resolve("direct-partial")).isEmptyDirectory();

        m.startServer();
        awaitUnacked(alice, 0);
        assertThat(m.host("mothership", "status").field("workspaces")).as("two events, each sequenced once")
            .startsWith("default at 2");
        awaitTree(a, b);
      }
    }
  }

  @Test
  void mothershipStopped_twoEditsOfOneFile_showTheConflictToBoth_andTheMothershipsOrderWinsWhenItIsBack()
      throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      String aliceId = ok(alice.join(m.issue("--for", "alice@acme.com"))).field("peer_id");
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      Files.writeString(a.resolve("notes.txt"), "v1\n");
      try (Background syncA = sync(alice, a, freePort()); Background syncB = sync(bob, b, freePort())) {
        Trees.await(b.resolve("notes.txt"), BOUND);
        syncA.awaitOutput("direct: connected to " + bobId, 1, BOUND);
        awaitUnacked(alice, 0);
        m.stopServer();
        syncA.awaitOutput("reconnecting in", 1, BOUND);
        syncB.awaitOutput("reconnecting in", 1, BOUND);
        Files.writeString(a.resolve("notes.txt"), "alice's offline edit\n");
        Files.writeString(b.resolve("notes.txt"), "bob's offline edit\n");

        syncA.awaitOutput("conflict: notes.txt was edited here and by " + bobId + "; " + bobId + "'s version is at"
            + " notes.sync-conflict-", 1, BOUND);
        syncB.awaitOutput("conflict: notes.txt was edited here and by " + aliceId + "; " + aliceId + "'s version is"
            + " at notes.sync-conflict-", 1, BOUND);
        assertThat(Trees.of(a).entries()).hasSize(2);
        assertThat(Trees.of(b).entries()).hasSize(2);
        assertThat(a.resolve("notes.txt")).hasContent("alice's offline edit");
        assertThat(b.resolve("notes.txt")).hasContent("bob's offline edit");

        m.startServer();
        awaitUnacked(alice, 0);
        awaitUnacked(bob, 0);
        awaitTree(a, b);
        assertThat(Trees.of(a).entries()).as("the Mothership's winner at notes.txt, the loser as its conflict copy")
            .hasSize(2).containsKey("notes.txt");
        assertThat(m.host("mothership", "status").field("workspaces")).as("v1, then each edit once")
            .startsWith("default at 3");
      }
    }
  }

  private static void awaitErr(Background sync, String text) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!sync.err().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in\n" + sync.err());
      }
      Thread.sleep(50);
    }
  }

  private static void awaitUnacked(MothershipFixture.Peer peer, int n) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    String last;
    while (!(last = peer.run("wal", "status").out()).contains("unacked events: " + n + "\n")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected unacked events: " + n + " in\n" + last);
      }
      Thread.sleep(100);
    }
  }

  private static void awaitTree(Path expected, Path actual) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!Trees.of(actual).equals(Trees.of(expected))) {
      if (System.nanoTime() > deadline) {
        assertThat(Trees.of(actual)).isEqualTo(Trees.of(expected));
      }
      Thread.sleep(100);
    }
  }

  /** POSIX permissions as {@code rw-------}. */
  static final class OwnerPermissions {
    static String of(Path file) throws Exception {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
  }
}
