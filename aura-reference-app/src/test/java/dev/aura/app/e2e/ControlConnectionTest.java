package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control connection ({@code aura mothership connect}): heartbeats, revocation updates, certificate
 * handovers, credential rotation, and the immediate close of a revoked or kicked peer.
 */
class ControlConnectionTest {
  private static final String FAST = "[peers]\nheartbeat_interval = \"1s\"\n";
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir
  Path temp;

  private static void awaitConnectedPeers(MothershipFixture m, int n) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (m.host("mothership", "status").field("connected_peers").equals(Integer.toString(n))) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("expected " + n + " connected peers: " + m.host("mothership", "status"));
  }

  @Test
  void revokedPeer_isDisconnectedAtOnce_andSeesPeerRevoked() {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer carol = m.peer("carol");
      assertThat(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")).exit()).isZero();
      try (Background connect = new Background(carol.env(), "mothership", "connect")) {
        connect.awaitOutput("connected: ");
        awaitConnectedPeers(m, 1);
        assertThat(m.host("mothership", "peers", "--detail").out()).contains("carol@contractor.com  online");

        m.host("mothership", "peer", "revoke", "carol@contractor.com");
        Cli.Result ended = connect.awaitExit(BOUND);
        assertThat(ended.exit()).isEqualTo(1);
        assertThat(ended.err()).startsWith("error: peer revoked\ncaused by: ");
        awaitConnectedPeers(m, 0);
      }
    }
  }

  @Test
  void kickedPeer_isDisconnected_andReconnectsUnlessRevoked() {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer bob = m.peer("bob");
      Cli.Result joined = bob.join(m.issue("--for", "bob@acme.com"));
      String peerId = joined.field("peer_id");
      try (Background connect = new Background(bob.env(), "mothership", "connect")) {
        connect.awaitOutput("connected: ");
        awaitConnectedPeers(m, 1);
        Cli.Result kicked = m.host("mothership", "peer", "kick", peerId);
        assertThat(kicked.exit()).as(kicked.toString()).isZero();
        assertThat(kicked.out()).isEqualTo("kicked " + peerId + " (1 connection closed)\n");
        connect.awaitOutput("disconnected: kicked by local-admin; reconnecting in 1s");
        connect.awaitOutput("connected: ", 2, BOUND);
        assertThat(m.host("mothership", "audit", "--filter", "peer_kicked").out())
            .containsPattern("(?m)^.{19} peer_kicked " + peerId + " by local-admin$");
      }
      awaitConnectedPeers(m, 0);
      Cli.Result notConnected = m.host("mothership", "peer", "kick", peerId);
      assertThat(notConnected.exit()).isEqualTo(1);
      assertThat(notConnected.err()).startsWith("error: " + peerId + " is not connected");
    }
  }

  @Test
  void connectedPeer_receivesSignedRevocationUpdates() {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      try (Background connect = new Background(alice.env(), "mothership", "connect")) {
        connect.awaitOutput("connected: ");
        m.host("mothership", "peer", "revoke", "mallory@evil.com");
        connect.awaitOutput("revocations: version 1 (1 in force)");
        String token = m.issue("--for", "eve@evil.com");
        m.host("mothership", "token", "revoke", m.host("mothership", "token", "decode", token).field("  jti"));
        connect.awaitOutput("revocations: version 2 (2 in force)");
        assertThat(m.host("mothership", "status").field("lagging_peers")).isEqualTo("none");
      }
    }
  }

  @Test
  void credential_isRotatedAtHalfItsLife_overTheControlConnection() {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      try (Background connect = new Background(alice.env(), "mothership", "connect")) {
        connect.awaitOutput("connected: ");
        m.clock().advance(Duration.ofDays(4)); // past half of the weekly rotation period
        connect.awaitOutput("credential: rotated");
      }
      assertThat(alice.run("mothership", "ping").exit()).isZero();
      assertThat(m.host("mothership", "audit", "--filter", "credential_rotated").out()).contains("credential_rotated rc_");
    }
  }

  @Test
  void rotateKey_asksConnectedPeersToRotateTheirCredential_soItOutlivesTheGrace() {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      try (Background connect = new Background(alice.env(), "mothership", "connect")) {
        connect.awaitOutput("connected: ");
        assertThat(m.host("mothership", "rotate-key").exit()).isZero();
        connect.awaitOutput("credential: rotated");
      }
      m.clock().advance(Duration.ofHours(25)); // the old signing key's grace is over
      Cli.Result ping = alice.run("mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
    }
  }

  @Test
  void tlsRotate_connectedPeerFollowsHandover_offlinePeerAfterGraceMustRepin() {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer online = m.peer("online");
      MothershipFixture.Peer offline = m.peer("offline");
      assertThat(online.join(m.issue("--for", "online@acme.com")).exit()).isZero();
      assertThat(offline.join(m.issue("--for", "offline@acme.com")).exit()).isZero();
      String old = m.host("mothership", "tls", "info").field("fingerprint");
      String fresh;
      try (Background connect = new Background(online.env(), "mothership", "connect")) {
        connect.awaitOutput("connected: ");
        awaitConnectedPeers(m, 1);
        Cli.Result rotated = m.host("mothership", "tls", "rotate");
        assertThat(rotated.exit()).as(rotated.toString()).isZero();
        fresh = rotated.field("fingerprint");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(rotated.field("previous")).startsWith(old + " (accepted until ").endsWith("(in 24h))");
        assertThat(rotated.field("connected_peers_notified")).isEqualTo("1");
        connect.awaitOutput("pin_handover: now pinning " + old);
        assertThat(connect.out()).contains(fresh + " (no retirement)");
      }
      assertThat(m.host("mothership", "tls", "info").field("previous")).startsWith(old);

      m.clock().advance(Duration.ofHours(25)); // the old certificate's grace is over
      assertThat(online.run("mothership", "ping").exit()).isZero();

      Cli.Result stale = offline.run("mothership", "ping");
      assertThat(stale.exit()).isEqualTo(1);
      assertThat(stale.err()).startsWith("error: tls handshake failed\ncaused by: tls fingerprint mismatch: server"
          + " presented " + fresh);

      Cli.Result unconfirmed = offline.run("mothership", "repin", "--url", m.url().toString());
      assertThat(unconfirmed.exit()).isEqualTo(2);
      assertThat(unconfirmed.out()).contains("fingerprint: " + fresh);
      assertThat(unconfirmed.err()).startsWith("error: repin needs your confirmation");

      Cli.Result wrong = offline.run("mothership", "repin", "--url", m.url().toString(), "--fingerprint", old);
      assertThat(wrong.exit()).isEqualTo(1);
      assertThat(wrong.err()).startsWith("error: repin not confirmed: fingerprint does not match\ncaused by: ");

      Cli.Result repinned = offline.run("mothership", "repin", "--url", m.url().toString(), "--fingerprint", fresh);
      assertThat(repinned.exit()).as(repinned.toString()).isZero();
      assertThat(repinned.field("pinned")).isEqualTo(fresh);
      assertThat(offline.run("mothership", "ping").exit()).isZero();
      assertThat(offline.run("mothership", "peer-config", "--show-pinned").out()).isEqualTo("pinned: " + fresh + "\n");
    }
  }

  @Test
  void tlsRotate_offlinePeerWithinGrace_followsTheHandoverOnItsNextCall_andOldTokensStillJoin() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      String unusedToken = m.issue("--for", "bob@acme.com");
      String fresh = m.host("mothership", "tls", "rotate").field("fingerprint");

      Cli.Result ping = alice.run("mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
      assertThat(ping.out()).contains("(followed the Mothership's signed certificate handover)");

      Cli.Result joined = m.peer("bob").join(unusedToken);
      assertThat(joined.exit()).as(joined.toString()).isZero();
      assertThat(joined.field("pinned")).contains(fresh + " (no retirement)");
    }
  }

  @Test
  void repin_confirmedOnStandardInput_pinsWhatWasTyped() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      String fingerprint = m.host("mothership", "tls", "info").field("fingerprint");
      var env = dev.aura.app.cli.CliEnvironment.builder().variables(alice.env().variables()).clock(m.clock())
          .stdin(new BufferedReader(new StringReader(fingerprint.toUpperCase() + "\n"))).build();
      Cli.Result r = Cli.run(env, "mothership", "repin", "--url", m.url().toString());
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).contains("Type or paste the fingerprint you received out of band to confirm: ");
      assertThat(r.out()).endsWith("pinned: " + fingerprint + "\n");
    }
  }
}
