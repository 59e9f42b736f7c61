package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revoking one peer by id, lifting a revocation, and detecting a tampered audit log. */
class RevocationLifecycleTest {
  @TempDir
  Path temp;

  @Test
  void peerRevokedById_isRefused_untilUnrevoked() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer laptop = m.peer("laptop");
      MothershipFixture.Peer desktop = m.peer("desktop");
      String laptopId = laptop.join(m.issue("--for", "alice@acme.com")).field("peer_id");
      assertThat(desktop.join(m.issue("--for", "alice@acme.com")).exit()).isZero();

      Cli.Result revoked = m.host("mothership", "peer", "revoke", laptopId);
      assertThat(revoked.out()).contains("peers cut off: " + laptopId + "\n");
      assertThat(laptop.run("mothership", "ping").err()).startsWith("error: peer revoked\n");
      assertThat(desktop.run("mothership", "ping").exit()).as("only that peer").isZero();

      Cli.Result lifted = m.host("mothership", "peer", "unrevoke", laptopId);
      assertThat(lifted.exit()).as(lifted.toString()).isZero();
      assertThat(lifted.out()).isEqualTo("unrevoked " + laptopId + " (revocation version 2)\n");
      assertThat(laptop.run("mothership", "ping").exit()).isZero();
      assertThat(m.host("mothership", "peer", "unrevoke", laptopId).out())
          .isEqualTo(laptopId + " was not revoked: nothing to do\n");
      assertThat(m.host("mothership", "audit", "--filter", "token_unrevoked").out())
          .containsPattern("(?m)^.{19} token_unrevoked " + laptopId + " by local-admin$");
      assertThat(m.host("mothership", "peer", "revoke", "peer_00000000").err())
          .startsWith("error: unknown peer peer_00000000\n");
    }
  }

  @Test
  void auditVerify_withAModifiedEntry_failsNamingTheEntry() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      m.issue("--for", "carol@contractor.com");
      m.issue("--for", "dave@acme.com");
      assertThat(m.host("mothership", "audit", "--verify").exit()).isZero();
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + m.dataDir().database());
           Statement s = db.createStatement()) {
        s.executeUpdate("UPDATE audit_log SET subject = 'mallory@evil.com' WHERE seq = 1");
      }
      Cli.Result r = m.host("mothership", "audit", "--verify");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("error: audit log verification failed at entry 1\ncaused by: entry 1 was"
          + " modified (its content does not match its hash)\n");
    }
  }
}
