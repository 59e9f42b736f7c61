package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "This log is replicated like any other log, so losing the Mothership host does not lose the audit trail":
 * admin peers keep a verified copy of the hash chain with the Mothership's signed head, notice a chain that
 * lost entries even when nothing follows them, and give the entries back.
 */
class AuditReplicationTest {
  private static final String FAST = "[peers]\nheartbeat_interval = \"1s\"\n";
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  private static long count(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void anAdminPeersCopy_detectsEntriesLostByARestore_andGivesThemBack() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com", "--role", "admin")).exit()).isZero();
      m.issue("--for", "bob@acme.com");
      m.issue("--for", "carol@contractor.com");
      Path copy = alice.home().resolve("audit-copy.db");
      try (Background connect = new Background(alice.env(), "mothership", "connect")) {
        connect.awaitOutput("audit: copied 4 entries (up to 4)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");

        m.issue("--for", "dave@acme.com");
        m.issue("--for", "erin@acme.com");
        connect.awaitOutput("(up to 6)", 1, BOUND);

        // The host is restored from a backup taken at entry 4: entries 5 and 6 are gone, nothing follows them.
        m.stopServer();
        Path db = m.dataDir().database();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM audit_log WHERE seq > 4");
          s.executeUpdate("UPDATE aura_heads SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4)"
              + " WHERE name = 'audit'");
        }
        m.startServer();
        Cli.Result verify = m.host("mothership", "audit", "--verify");
        assertThat(verify.out()).isEqualTo("audit log intact: 4 entries verified\n"); // invisible on the host

        connect.awaitOutput("connected: ", 2, BOUND);
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!connect.err().contains("audit chain truncated") && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(connect.err()).contains("warning: audit chain truncated: the Mothership's audit log now ends at"
            + " entry 4, but it signed entry 6 on ").contains("this copy holds entries 5 to 6");
      }

      Cli.Result back = alice.run("mothership", "audit", "--restore-from-copy");
      assertThat(back.exit()).as(back.toString()).isZero();
      assertThat(back.out()).isEqualTo("gave back 2 audit entries (5 to 6); the Mothership's audit log is intact\n");
      assertThat(m.host("mothership", "audit", "--verify").out()).isEqualTo("audit log intact: 6 entries verified\n");
      assertThat(m.host("mothership", "audit").out()).contains("token_issued").contains("for erin@acme.com");

      Cli.Result again = alice.run("mothership", "audit", "--restore-from-copy");
      assertThat(again.out()).startsWith("nothing to give back: the Mothership holds 6 entries");
      assertThat(count(copy, "SELECT COUNT(*) FROM audit_copy")).isEqualTo(6);
    }
  }

  @Test
  void membersKeepNoCopy_andCannotGiveEntriesBack() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(FAST).start()) {
      MothershipFixture.Peer bob = m.peer("bob");
      assertThat(bob.join(m.issue("--for", "bob@acme.com")).exit()).isZero();
      try (Background connect = new Background(bob.env(), "mothership", "connect", "--verbose")) {
        connect.awaitOutput("connected: ");
        connect.awaitOutput("heartbeat: ", 1, BOUND); // after hello, when an admin would start following
      }
      assertThat(bob.home().resolve("audit-copy.db")).doesNotExist();
      Cli.Result refused = bob.run("mothership", "audit", "--restore-from-copy");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).startsWith("error: this peer keeps no copy of the audit log");
    }
  }
}
