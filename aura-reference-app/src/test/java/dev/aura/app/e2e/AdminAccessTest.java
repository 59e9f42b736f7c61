package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what through the admin API, and what a joined peer trusts. */
class AdminAccessTest {
  @TempDir
  Path temp;

  @Test
  void adminPeer_administersRemotely_memberMayOnlyListPeers() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer admin = m.peer("admin");
      assertThat(admin.join(m.issue("--for", "admin@acme.com", "--role", "admin")).exit()).isZero();
      MothershipFixture.Peer bob = m.peer("bob");
      assertThat(bob.join(m.issue("--for", "bob@acme.com")).exit()).isZero();

      Cli.Result issued = admin.run("mothership", "token", "issue", "--for", "carol@contractor.com");
      assertThat(issued.exit()).as(issued.toString()).isZero();
      assertThat(m.host("mothership", "audit", "--filter", "token_issued").out())
          .contains(issued.field("jti") + " by admin@acme.com for carol@contractor.com");

      Cli.Result listed = bob.run("mothership", "peers");
      assertThat(listed.exit()).as(listed.toString()).isZero();
      assertThat(listed.out()).contains("admin@acme.com").contains("bob@acme.com");

      Cli.Result refused = bob.run("mothership", "token", "issue", "--for", "mallory@evil.com");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).startsWith("error: permission denied\ncaused by: token issue needs the admin role;"
          + " bob@acme.com (peer_");
      assertThat(bob.run("mothership", "peer", "revoke", "admin@acme.com").err()).startsWith("error: permission denied");
    }
  }

  @Test
  void joinedPeer_refusesAnImpersonatorWithAnotherCertificate() {
    int port;
    MothershipFixture.Peer alice;
    String realFingerprint;
    try (MothershipFixture real = MothershipFixture.builder(temp.resolve("real")).start()) {
      port = real.url().getPort();
      realFingerprint = real.host("mothership", "tls", "info").field("fingerprint");
      alice = real.peer("alice");
      assertThat(alice.join(real.issue("--for", "alice@acme.com")).exit()).isZero();
    }
    // Someone else answers at the same address, with a certificate of its own.
    try (MothershipFixture impostor = MothershipFixture.builder(temp.resolve("impostor")).port(port).start()) {
      Cli.Result r = alice.run("mothership", "ping");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: tls handshake failed\ncaused by: tls fingerprint mismatch: server presented "
          + impostor.host("mothership", "tls", "info").field("fingerprint"));
      assertThat(r.err()).contains("pinned: " + realFingerprint);
      assertThat(alice.run("mothership", "peer-config", "--show-pinned").out())
          .isEqualTo("pinned: " + realFingerprint + "\n");
    }
  }

  @Test
  void failedHandshakes_fromOneAddress_areRateLimited() {
    try (MothershipFixture m = MothershipFixture.builder(temp)
        .config("[limits]\nfailed_handshakes_per_minute = 3\n").start()) {
      String used = m.issue("--for", "alice@acme.com");
      assertThat(m.peer("alice").join(used).exit()).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(m.peer("mallory").join(used).err()).startsWith("error: token already used");
      }
      Cli.Result limited = m.peer("mallory").join(used);
      assertThat(limited.err()).startsWith("error: too many failed handshakes\ncaused by: from 127.0.0.1 in the"
          + " last minute (at most 3); retry in ");
      assertThat(m.host("mothership", "peers").exit()).as("the host's admin is not locked out").isZero();
      m.clock().advance(Duration.ofSeconds(61));
      assertThat(m.peer("mallory").join(used).err()).startsWith("error: token already used");
    }
  }
}
