package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.peer.PeerState;
import dev.aura.app.release.AuraVersion;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import dev.aura.testkit.InMemoryStores;
import dev.aura.token.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aura self-update} against a real Mothership serving real release archives over pinned TLS: the
 * signed manifest is verified with the peer's copy of the Mothership's keys, the installation swaps
 * {@code current} and keeps {@code previous} for {@code --rollback}; a tampered archive, a bad signature, a
 * downgrade, a release of another protocol and a full disk (a small tmpfs) are refused and leave the current
 * installation exactly as it was.
 */
class SelfUpdateTest {
  private static final String CURRENT = AuraVersion.current();

  @TempDir
  Path temp;

  private Path root;

  @AfterEach
  void forgetArchive() {
    System.clearProperty("aura.release.archive");
  }

  /** Writes a release archive as aura-dist lays it out: aura-V/{release.properties, bin/aura, lib/*.jar}. */
  private Path release(String version, int protocol, int libBytes) throws Exception {
    return dev.aura.app.testing.ReleaseArchives.write(temp.resolve("serve").resolve("aura-" + version + ".tar.gz"),
        version, protocol, libBytes);
  }

  /** The installed release this peer runs: root/aura-CURRENT with root/current pointing at it. */
  private Path installCurrent(Path into) throws Exception {
    root = into;
    Path dir = Files.createDirectories(root.resolve("aura-" + CURRENT));
    Files.writeString(dir.resolve("release.properties"), "version=" + CURRENT + "\nprotocol=1\n");
    Files.createDirectories(dir.resolve("bin"));
    Files.createDirectories(dir.resolve("lib"));
    Files.createSymbolicLink(root.resolve("current"), Path.of("aura-" + CURRENT));
    return dir;
  }

  private CliEnvironment installed(MothershipFixture.Peer peer, int protocol) {
    return CliEnvironment.builder().variables(peer.env().variables())
        .variable("AURA_INSTALL_DIR", root.resolve("aura-" + CURRENT).toString()).userHome(temp)
        .clock(peer.env().clock()).protocolVersion(protocol).build();
  }

  private List<String> rootListing() throws Exception {
    try (Stream<Path> files = Files.list(root)) {
      return files.map(p -> p.getFileName() + (Files.isSymbolicLink(p) ? " -> " + readLink(p) : "")).sorted()
          .toList();
    }
  }

  private static String readLink(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private MothershipFixture.Peer joined(MothershipFixture m) {
    MothershipFixture.Peer alice = m.peer("alice");
    Cli.Result join = alice.join(m.issue("--for", "alice@acme.com"));
    assertThat(join.exit()).as(join.toString()).isZero();
    return alice;
  }

  @Test
  void aNewerRelease_isVerifiedInstalledAndMadeCurrent_andRollbackGoesBackAndForth() throws Exception {
    installCurrent(temp.resolve("opt-aura"));
    System.setProperty("aura.release.archive", release("99.0.0", 1, 200_000).toString());
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).start()) {
      CliEnvironment alice = installed(joined(m), 1);
      Cli.Result update = Cli.run(alice, "self-update");
      assertThat(update.exit()).as(update.toString()).isZero();
      assertThat(update.out()).startsWith("updated: aura " + CURRENT + " -> aura 99.0.0 (protocol v1, signed by mship_")
          .contains("installed: " + root.resolve("aura-99.0.0") + "\n")
          .contains("previous: aura " + CURRENT + " (aura self-update --rollback goes back)\n");
      assertThat(rootListing()).containsExactly("aura-" + CURRENT, "aura-99.0.0", "current -> aura-99.0.0",
          "previous -> aura-" + CURRENT);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          root.resolve("current/bin/aura")))).isEqualTo("rwxr-xr-x");
      assertThat(Files.size(root.resolve("current/lib/aura-reference-app-99.0.0.jar"))).isEqualTo(200_000);

      // The new installation runs from current now: asked again, it is up to date.
      CliEnvironment upgraded = CliEnvironment.builder().variables(alice.variables())
          .variable("AURA_INSTALL_DIR", root.resolve("aura-99.0.0").toString()).userHome(temp)
          .clock(alice.clock()).build();
      assertThat(Cli.run(upgraded, "self-update").out()).isEqualTo("up to date: aura 99.0.0 (protocol v1) is"
          + " installed in " + root.resolve("aura-99.0.0").toRealPath() + "\n");

      Cli.Result back = Cli.run(upgraded, "self-update", "--rollback");
      assertThat(back.exit()).as(back.toString()).isZero();
      assertThat(back.out()).startsWith("rolled back: aura 99.0.0 -> aura " + CURRENT + "\n");
      assertThat(rootListing()).containsExactly("aura-" + CURRENT, "aura-99.0.0", "current -> aura-" + CURRENT,
          "previous -> aura-99.0.0");
      Cli.Result forward = Cli.run(alice, "self-update", "--rollback");
      assertThat(forward.out()).startsWith("rolled back: aura " + CURRENT + " -> aura 99.0.0\n");
      assertThat(readLink(root.resolve("current"))).isEqualTo("aura-99.0.0");
    }
  }

  @Test
  void aTamperedArchive_aBadSignature_aDowngradeAndAnotherProtocol_areRefused_leavingTheInstallation()
      throws Exception {
    installCurrent(temp.resolve("opt-aura"));
    Path archive = release("99.0.0", 1, 100_000);
    System.setProperty("aura.release.archive", archive.toString());
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).start()) {
      MothershipFixture.Peer peer = joined(m);
      CliEnvironment alice = installed(peer, 1);
      List<String> before = rootListing();

      // Tampered: the file changes on the Mothership's disk after it was signed (same size and time).
      Https https = new Https(m.url(), m.host("mothership", "tls", "info").field("fingerprint"));
      String admin = Files.readString(m.dataDir().adminCredential()).trim();
      assertThat(https.send(https.request("/v1/release").header("Authorization", "Bearer " + admin).GET()
          .build()).statusCode()).isEqualTo(200);
      FileTime modified = Files.getLastModifiedTime(archive);
      byte[] bytes = Files.readAllBytes(archive);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(archive, bytes);
      Files.setLastModifiedTime(archive, modified);
      Cli.Result tampered = Cli.run(alice, "self-update");
      assertThat(tampered.exit()).isEqualTo(1);
      assertThat(tampered.err()).startsWith("error: release archive tampered\ncaused by: the archive served has "
          + bytes.length + " bytes, sha256 ").endsWith("; nothing was installed\n");
      assertThat(rootListing()).isEqualTo(before);

      // Bad signature: this peer's copy of the keys is not the Mothership's.
      PeerState state = new PeerState(alice.home());
      String keys = Files.readString(state.keysFile());
      KeyRing other = KeyRing.builder().store(InMemoryStores.create().signingKeyStore()).clock(Clock.systemUTC())
          .open();
      Files.writeString(state.keysFile(), other.publicKeys().toJwkSetJson());
      Cli.Result forged = Cli.run(alice, "self-update");
      assertThat(forged.exit()).isEqualTo(1);
      assertThat(forged.err()).startsWith("error: release signature invalid\ncaused by: invalid signature:"
          + " unknown key id '");
      assertThat(rootListing()).isEqualTo(before);
      Files.writeString(state.keysFile(), keys);

      // A downgrade needs --allow-downgrade.
      System.setProperty("aura.release.archive", release("0.0.1", 1, 1000).toString());
      Cli.Result down = Cli.run(alice, "self-update");
      assertThat(down.exit()).isEqualTo(1);
      assertThat(down.err()).isEqualTo("error: refusing a downgrade\ncaused by: the Mothership serves aura 0.0.1,"
          + " older than the installed " + CURRENT + "; give --allow-downgrade to install it anyway\n");
      assertThat(rootListing()).isEqualTo(before);

      // A release that does not speak the Mothership's protocol.
      System.setProperty("aura.release.archive", release("99.1.0", 7, 1000).toString());
      Cli.Result protocol = Cli.run(alice, "self-update");
      assertThat(protocol.exit()).isEqualTo(1);
      assertThat(protocol.err()).isEqualTo("error: release protocol mismatch\ncaused by: the Mothership serves"
          + " aura 99.1.0, which speaks protocol v7, but the Mothership speaks v1: nothing was installed\n");
      assertThat(rootListing()).isEqualTo(before);

      System.setProperty("aura.release.archive", release("0.0.1", 1, 1000).toString());
      Cli.Result allowed = Cli.run(alice, "self-update", "--allow-downgrade");
      assertThat(allowed.exit()).as(allowed.toString()).isZero();
      assertThat(readLink(root.resolve("current"))).isEqualTo("aura-0.0.1");
    }
  }

  @Test
  void aFullDisk_isRefusedBeforeDownloading_leavingTheInstallation() throws Exception {
    Path mount = Files.createDirectories(temp.resolve("small"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    Assumptions.assumeTrue(p.waitFor() == 0, "skipped: cannot mount a 6 MiB tmpfs (needs root): " + output.trim());
    try {
      installCurrent(mount);
      System.setProperty("aura.release.archive", release("99.0.0", 1, 4 << 20).toString());
      try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).start()) {
        CliEnvironment alice = installed(joined(m), 1);
        List<String> before = rootListing();
        Cli.Result full = Cli.run(alice, "self-update");
        assertThat(full.exit()).isEqualTo(1);
        assertThat(full.err()).matches("error: not enough disk space\ncaused by: " + java.util.regex.Pattern.quote(
            root.toString()) + " has 6\\.0 MiB free; installing aura 99\\.0\\.0 needs 9\\.\\d MiB \\(archive"
            + " 4\\.0 MiB, unpacked 4\\.0 MiB\\); nothing was downloaded, aura " + java.util.regex.Pattern.quote(
            CURRENT) + " stays installed\n");
        assertThat(rootListing()).isEqualTo(before);
      }
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  @Test
  void aPeerBehindAProtocolBump_isToldToSelfUpdate_andCanStillDoIt() throws Exception {
    installCurrent(temp.resolve("opt-aura"));
    System.setProperty("aura.release.archive", release("99.0.0", 2, 1000).toString());
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).protocolVersion(2).start()) {
      MothershipFixture.Peer peer = m.peer("alice", 2);
      assertThat(peer.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      CliEnvironment oldBinary = installed(peer, 1); // the same peer, with a binary that speaks v1
      Cli.Result ping = Cli.run(oldBinary, "mothership", "ping");
      assertThat(ping.exit()).isEqualTo(1);
      assertThat(ping.err()).isEqualTo("error: protocol version mismatch (peer: v1, mothership: v2)\n"
          + "caused by: update the older of the two; on a peer: aura self-update\n");
      Cli.Result update = Cli.run(oldBinary, "self-update");
      assertThat(update.exit()).as(update.toString()).isZero();
      assertThat(update.out()).startsWith("updated: aura " + CURRENT + " -> aura 99.0.0 (protocol v2, ");
    }
  }

  @Test
  void killedWhileDownloading_leavesTheCurrentInstallation_andTheNextUpdateCleansUp() throws Exception {
    installCurrent(temp.resolve("opt-aura"));
    System.setProperty("aura.release.archive", release("99.0.0", 1, 48 << 20).toString());
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).start()) {
      MothershipFixture.Peer peer = joined(m);
      List<String> before = rootListing();
      boolean sawDownload = false;
      try (dev.aura.app.testing.ChildProcess update = dev.aura.app.testing.ChildProcess.start(peer.home(),
          java.util.Map.of("AURA_INSTALL_DIR", root.resolve("aura-" + CURRENT).toString()), temp.resolve("logs"),
          "self-update", "self-update")) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!sawDownload && update.isAlive() && System.nanoTime() < deadline) {
          sawDownload = rootListing().stream().anyMatch(n -> n.startsWith(".aura-99.0.0.download-"));
          if (!sawDownload) {
            Thread.sleep(1);
          }
        }
        update.kill(); // SIGKILL mid-download: no finally block, no cleanup
        assertThat(sawDownload).as(update.describe()).isTrue();
      }
      assertThat(readLink(root.resolve("current"))).isEqualTo("aura-" + CURRENT);
      assertThat(rootListing().stream().filter(n -> !n.startsWith(".")).toList()).isEqualTo(before);

      Cli.Result again = Cli.run(installed(peer, 1), "self-update");
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(rootListing()).containsExactly("aura-" + CURRENT, "aura-99.0.0", "current -> aura-99.0.0",
          "previous -> aura-" + CURRENT);
    }
  }

  @Test
  void outsideAnInstalledRelease_selfUpdateSaysSo() {
    Cli.Result r = Cli.run(CliEnvironment.builder().variable("AURA_HOME", temp.toString()).build(),
        "self-update");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: not an installed release\ncaused by: this aura does not run from an"
        + " installed release archive (AURA_INSTALL_DIR is not set; ");
  }
}
