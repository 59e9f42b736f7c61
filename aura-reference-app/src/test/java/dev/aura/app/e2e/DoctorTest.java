package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aura doctor} detects each condition it claims to detect, and explains each code. */
class DoctorTest {
  @TempDir
  Path temp;

  private static String line(Cli.Result r, String code) {
    return r.out().lines().filter(l -> l.contains(" " + code + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " line in " + r));
  }

  @Test
  void joinedPeer_inGoodShape_hasNoProblems() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      Cli.Result r = alice.run("doctor");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).endsWith("no problems found\n");
      assertThat(line(r, "DR006")).startsWith("ok       DR006 pin mismatch: presents the pinned ");
      assertThat(line(r, "DR012")).startsWith("ok ");
      assertThat(line(r, "DR001")).startsWith("skipped ");
    }
  }

  @Test
  void host_boundToLoopback_isWarnedDR002() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Cli.Result r = m.host("doctor");
      assertThat(line(r, "DR002")).isEqualTo("warning  DR002 bind address is loopback-only: listening on 127.0.0.1:"
          + m.url().getPort() + ": only this machine can reach it");
      assertThat(line(r, "DR001")).startsWith("ok       DR001 port in use: the port is used by this Mothership");
      assertThat(line(r, "DR008")).startsWith("ok       DR008 store unreachable: SQLite");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).endsWith("0 error(s), 1 warning(s); explanation: aura doctor --explain DR002\n");
    }
  }

  @Test
  void host_withPortHeldByAnotherProcess_isDR001() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start();
         ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      m.stopServer();
      Files.writeString(m.dataDir().configFile(), "[server]\nbind = \"127.0.0.1\"\nport = " + taken.getLocalPort() + "\n");
      Cli.Result r = m.host("doctor");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(line(r, "DR001")).isEqualTo("error    DR001 port in use: 127.0.0.1:" + taken.getLocalPort()
          + " is held by another process");
      assertThat(line(r, "DR011")).startsWith("error    DR011 mothership unreachable: no Mothership runs from ");
    }
  }

  @Test
  void host_certificateExpiringAndExpired_areDR003AndDR004() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      m.clock().advance(Duration.ofDays(340));
      assertThat(line(m.host("doctor"), "DR003")).startsWith("warning  DR003 certificate expiring: ")
          .endsWith("in 25 days");
      m.clock().advance(Duration.ofDays(60));
      Cli.Result expired = m.host("doctor");
      assertThat(line(expired, "DR004")).startsWith("error    DR004 certificate expired: ");
      assertThat(expired.exit()).isEqualTo(1);
      m.clock().set(java.time.Instant.now()); // so that the host CLI can stop it
    }
  }

  @Test
  void host_withDamagedStore_isDR008() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      m.stopServer();
      Path garbage = temp.resolve("garbage.db");
      Files.writeString(garbage, "this is not a database, just some text that is long enough to not be empty".repeat(50));
      Files.writeString(m.dataDir().configFile(), "[store]\nurl = \"sqlite:" + garbage + "\"\n");
      Cli.Result r = m.host("doctor");
      assertThat(line(r, "DR008")).startsWith("error    DR008 store unreachable: not an SQLite database");
    }
  }

  @Test
  void host_withOpenPermissions_isDR009AndDR010() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Files.setPosixFilePermissions(m.dataDir().root(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(m.dataDir().privateKey(), PosixFilePermissions.fromString("rw-r--r--"));
      Cli.Result r = m.host("doctor");
      assertThat(line(r, "DR009")).isEqualTo("error    DR009 data directory permissions too open: "
          + m.dataDir().root() + " is rwxr-xr-x (expected rwx------)");
      assertThat(line(r, "DR010")).isEqualTo("error    DR010 key file permissions too open: "
          + m.dataDir().privateKey() + " is rw-r--r-- (expected rw-------)");
    }
  }

  @Test
  void peer_withClockOffOverSixtySeconds_isDR005() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer alice = m.peer("alice", Clock.systemUTC());
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      m.clock().advance(Duration.ofSeconds(120));
      assertThat(line(alice.run("doctor"), "DR005")).matches("error    DR005 clock offset from the Mothership over"
          + " 60s: the Mothership's clock is \\+1[12]\\d\\.\\ds ± \\d+\\.\\ds from this one"
          + " \\(at least 1[12]\\d\\.\\ds off\\)");
    }
  }

  @Test
  void peer_afterCertificateChange_isDR006() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      String fresh = m.host("mothership", "tls", "rotate").field("fingerprint");
      assertThat(line(alice.run("doctor"), "DR006")).startsWith("error    DR006 pin mismatch: 127.0.0.1:"
          + m.url().getPort() + " presents " + fresh + "; pinned: ");
    }
  }

  @Test
  void peer_againstNewerMothership_isDR007() {
    try (MothershipFixture m = MothershipFixture.builder(temp).protocolVersion(2).start()) {
      MothershipFixture.Peer alice = m.peer("alice", 2);
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      MothershipFixture.Peer old = m.peer("alice", 1);
      assertThat(line(old.run("doctor"), "DR007")).isEqualTo("error    DR007 protocol mismatch: protocol version"
          + " mismatch (peer: v1, mothership: v2)");
    }
  }

  @Test
  void peer_whenMothershipIsDown_isDR011_andWhenRevoked_isDR012() {
    MothershipFixture.Peer alice;
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      m.host("mothership", "peer", "revoke", "alice@acme.com");
      assertThat(line(alice.run("doctor"), "DR012")).startsWith("error    DR012 peer revoked: revoked: ");
    }
    assertThat(line(alice.run("doctor"), "DR011")).startsWith("error    DR011 mothership unreachable: tcp connect to"
        + " 127.0.0.1:");
  }

  @Test
  void explain_printsCauseFixAndSince() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Cli.Result r = m.host("doctor", "--explain", "DR002");
      assertThat(r.exit()).isZero();
      assertThat(r.out()).startsWith("DR002  bind address is loopback-only (warning)\ncause: ")
          .contains("\nfix: ").contains("\nsince: aura 0.1.0\n").contains("see: mothership troubleshooting");
      Cli.Result unknown = m.host("doctor", "--explain", "DR999");
      assertThat(unknown.exit()).isEqualTo(2);
      assertThat(unknown.err()).startsWith("error: unknown diagnostic code DR999\ncaused by: known codes: DR001 to DR016");
    }
  }
}
