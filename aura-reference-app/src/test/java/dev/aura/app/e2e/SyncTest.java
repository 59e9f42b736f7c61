package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import dev.aura.app.testing.Trees;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aura sync} end to end: real Motherships on loopback, real peers with their own {@code AURA_HOME}s
 * and directories, the real CLI.
 */
class SyncTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final String CONFIG = "[peers]\nheartbeat_interval = \"1s\"\n[sync]\nmax_file_size = \"64KiB\"\n";

  @TempDir
  Path temp;

  private static Cli.Result once(MothershipFixture.Peer peer, Path dir, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "sync";
    args[1] = "--dir";
    args[2] = dir.toString();
    args[3] = "--once";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return peer.run(args);
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private Path dir(String name) throws Exception {
    return Files.createDirectories(temp.resolve("trees").resolve(name));
  }

  @Test
  void twoMembers_converge_onCreateModifyDeleteRenameExecutableAndSymlink() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(bob.join(m.issue("--for", "bob@acme.com")));
      Path a = dir("alice");
      Path b = dir("bob");
      Files.createDirectories(a.resolve("src/main"));
      Files.writeString(a.resolve("README.md"), "# widget\n");
      Files.writeString(a.resolve("src/main/Widget.java"), "class Widget {}\n");
      Path script = Files.writeString(a.resolve("build.sh"), "#!/bin/sh\necho hi\n");
      Files.setPosixFilePermissions(script, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE));
      Files.createSymbolicLink(a.resolve("docs"), Path.of("src/main"));
      Files.createSymbolicLink(a.resolve("outside"), Path.of("/etc/passwd"));
      Files.createDirectories(a.resolve("empty/dir"));

      ok(once(alice, a));
      Cli.Result pulled = ok(once(bob, b));

      assertThat(pulled.out()).contains("synced: " + b);
      assertThat(Trees.of(b)).isEqualTo(Trees.of(a).withoutEmptyDirectories());
      assertThat(Files.isExecutable(b.resolve("build.sh"))).isTrue();
      assertThat(Files.isExecutable(b.resolve("README.md"))).isFalse();
      assertThat(Files.isSymbolicLink(b.resolve("docs"))).isTrue();
      assertThat(Files.readSymbolicLink(b.resolve("outside"))).isEqualTo(Path.of("/etc/passwd"));
      assertThat(b.resolve("empty")).doesNotExist(); // as in Git: directories are not synced on their own

      Files.writeString(b.resolve("README.md"), "# widget, edited by bob\n");
      Files.move(b.resolve("src/main/Widget.java"), b.resolve("src/main/Gadget.java"));
      Files.delete(b.resolve("build.sh"));
      ok(once(bob, b));
      ok(once(alice, a));

      assertThat(Files.readString(a.resolve("README.md"))).isEqualTo("# widget, edited by bob\n");
      assertThat(a.resolve("src/main/Widget.java")).doesNotExist();
      assertThat(Files.readString(a.resolve("src/main/Gadget.java"))).isEqualTo("class Widget {}\n");
      assertThat(a.resolve("build.sh")).doesNotExist();
      assertThat(Trees.of(a).withoutEmptyDirectories()).isEqualTo(Trees.of(b));
    }
  }

  @Test
  void concurrentEdits_keepBothVersions_andBothPeersConvergeOnTheSameTree() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      Path a = dir("alice");
      Path b = dir("bob");
      Files.writeString(a.resolve("notes.txt"), "v1\n");
      ok(once(alice, a));
      ok(once(bob, b));

      Files.writeString(a.resolve("notes.txt"), "alice's v2\n");
      Files.writeString(b.resolve("notes.txt"), "bob's v2\n");
      ok(once(alice, a)); // persisted first: stays at notes.txt
      Cli.Result bobs = ok(once(bob, b));
      ok(once(alice, a));

      assertThat(bobs.out()).contains("conflict");
      assertThat(Files.readString(a.resolve("notes.txt"))).isEqualTo("alice's v2\n");
      assertThat(Trees.of(b)).isEqualTo(Trees.of(a));
      Path copy;
      try (var files = Files.list(a)) {
        copy = files.filter(p -> p.getFileName().toString().startsWith("notes.sync-conflict-")).findFirst()
            .orElseThrow(() -> new AssertionError("no conflict copy in " + Trees.of(a)));
      }
      assertThat(copy.getFileName().toString()).matches("notes\\.sync-conflict-\\d{8}-\\d{6}-" + bobId + "\\.txt");
      assertThat(Files.readString(copy)).isEqualTo("bob's v2\n");
    }
  }

  @Test
  void ignoredPaths_andLargeFiles_areNotSynced_andNothingElseStops() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(bob.join(m.issue("--for", "bob@acme.com")));
      Path a = dir("alice");
      Path b = dir("bob");
      Files.writeString(a.resolve(".auraignore"), "*.log\nbuild/\n");
      Files.writeString(a.resolve("app.log"), "noise\n");
      Files.createDirectories(a.resolve("build"));
      Files.writeString(a.resolve("build/out.class"), "bytes\n");
      Files.createDirectories(a.resolve(".git"));
      Files.writeString(a.resolve(".git/HEAD"), "ref: refs/heads/main\n");
      Files.write(a.resolve("big.bin"), new byte[70 * 1024]);
      Files.writeString(a.resolve("kept.txt"), "kept\n");

      Cli.Result pushed = ok(once(alice, a));
      ok(once(bob, b));

      assertThat(pushed.err()).contains("big.bin").contains("max_file_size");
      assertThat(b.resolve("kept.txt")).hasContent("kept");
      assertThat(b.resolve(".auraignore")).exists();
      assertThat(b.resolve("app.log")).doesNotExist();
      assertThat(b.resolve("build")).doesNotExist();
      assertThat(b.resolve(".git")).doesNotExist();
      assertThat(b.resolve("big.bin")).doesNotExist();
    }
  }

  @Test
  void readOnlyPeer_pulls_butHerPushIsRefused_keptInHerWal_andAudited() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer carol = m.peer("carol");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")));
      Path a = dir("alice");
      Path c = dir("carol");
      Files.writeString(a.resolve("spec.md"), "the spec\n");
      ok(once(alice, a));
      ok(once(carol, c));
      assertThat(c.resolve("spec.md")).hasContent("the spec");

      Files.writeString(c.resolve("carol.txt"), "carol was here\n");
      Cli.Result refused = ok(once(carol, c));
      ok(once(alice, a));

      assertThat(refused.err()).contains("refused: carol.txt: role not permitted");
      assertThat(a.resolve("carol.txt")).doesNotExist();
      Cli.Result wal = ok(carol.run("wal", "status"));
      assertThat(wal.out()).startsWith("WAL:\n").contains("unacked events: 0").contains("refused events: 1")
          .contains("put carol.txt: role not permitted");
      assertThat(m.host("mothership", "audit", "--filter", "push_refused").out())
          .contains("push_refused default:role_not_permitted");
    }
  }

  @Test
  void revokedPeer_receivesNothingPublishedAfterTheRevocation() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer carol = m.peer("carol");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(carol.join(m.issue("--for", "carol@contractor.com", "--role", "read-only")));
      Path a = dir("alice");
      Path c = dir("carol");
      Files.writeString(a.resolve("before.txt"), "before\n");
      ok(once(alice, a));
      try (Background sync = new Background(carol.env(), "sync", "--dir", c.toString())) {
        sync.awaitOutput("syncing: ");
        Trees.await(c.resolve("before.txt"), BOUND);

        ok(m.host("mothership", "peer", "revoke", "carol@contractor.com"));
        Files.writeString(a.resolve("after.txt"), "after\n");
        ok(once(alice, a));

        Cli.Result ended = sync.awaitExit(BOUND);
        assertThat(ended.err()).startsWith("error: peer revoked");
      }
      Cli.Result again = once(carol, c);
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).startsWith("error: peer revoked");
      assertThat(c.resolve("after.txt")).doesNotExist();
      assertThat(c.resolve("before.txt")).exists(); // her local copy stays: Aura does not reach into her disk
    }
  }

  @Test
  void aPeerLimitedToOneWorkspace_isRefusedAnother_andNeverSeesItsEvents() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer dave = m.peer("dave");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(dave.join(m.issue("--for", "dave@acme.com", "--workspace", "gadget")));
      Path a = dir("alice");
      Files.writeString(a.resolve("secret.txt"), "widget only\n");
      ok(once(alice, a, "--workspace", "widget"));

      Path d = dir("dave");
      Cli.Result refused = once(dave, d, "--workspace", "widget");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).startsWith("error: workspace not permitted\ncaused by: ")
          .contains("may use only gadget, not widget");
      assertThat(d.resolve("secret.txt")).doesNotExist();

      Path g = dir("dave-gadget");
      ok(once(dave, g, "--workspace", "gadget"));
    }
  }

  @Test
  void anOperatorLimitsAConnectedPeer_whoIsCutOffFromTheOtherWorkspace_andCanStillUseTheAllowedOne()
      throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      String bobId = ok(bob.join(m.issue("--for", "bob@acme.com"))).field("peer_id");
      Path b = dir("bob");
      try (Background sync = new Background(bob.env(), "sync", "--dir", b.toString(), "--workspace", "widget")) {
        sync.awaitOutput("syncing: ");
        Cli.Result limited = ok(m.host("mothership", "peer", "workspaces", bobId, "--only", "gadget"));
        assertThat(limited.out()).isEqualTo(bobId + " may use gadget (1 connection(s) closed to apply it)\n");
        Cli.Result ended = sync.awaitExit(BOUND);
        assertThat(ended.err()).startsWith("error: workspace not permitted\ncaused by: " + bobId
            + " (bob@acme.com) may use only gadget, not widget");
      }
      Path a = dir("alice");
      Files.writeString(a.resolve("w.txt"), "widget\n");
      ok(once(alice, a, "--workspace", "widget"));
      assertThat(once(bob, b, "--workspace", "widget").exit()).isEqualTo(1);
      assertThat(b.resolve("w.txt")).doesNotExist();
      ok(once(bob, dir("bob-gadget"), "--workspace", "gadget"));
      assertThat(m.host("mothership", "peers", "--json").out()).contains("\"workspaces\" : [ \"gadget\" ]");
      assertThat(m.host("mothership", "audit", "--filter", "peer_workspaces").out())
          .contains("peer_workspaces " + bobId + " by local-admin");
      ok(m.host("mothership", "peer", "workspaces", bobId, "--all"));
      ok(once(bob, b, "--workspace", "widget"));
      assertThat(b.resolve("w.txt")).hasContent("widget");
      Cli.Result both = m.host("mothership", "peer", "workspaces", bobId, "--all", "--only", "x");
      assertThat(both.exit()).isEqualTo(2);
    }
  }

  @Test
  void longRunningSync_relaysALocalWrite_toAnotherPeer_andResumesAfterTheMothershipRestarts() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      MothershipFixture.Peer bob = m.peer("bob");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      ok(bob.join(m.issue("--for", "bob@acme.com")));
      Path a = dir("alice");
      Path b = dir("bob");
      try (Background syncA = new Background(alice.env(), "sync", "--dir", a.toString());
          Background syncB = new Background(bob.env(), "sync", "--dir", b.toString())) {
        syncA.awaitOutput("syncing: ");
        syncB.awaitOutput("syncing: ");
        Files.writeString(a.resolve("live.txt"), "live\n");
        Trees.await(b.resolve("live.txt"), BOUND);

        m.stopServer();
        Files.writeString(a.resolve("offline.txt"), "written while the Mothership was down\n");
        syncA.awaitOutput("reconnecting in");
        m.startServer();

        Trees.await(b.resolve("offline.txt"), BOUND);
        assertThat(b.resolve("offline.txt")).hasContent("written while the Mothership was down");
        // bob may get it directly from alice before the Mothership is back: her ack follows the reconnect
        long until = System.nanoTime() + BOUND.toNanos();
        String wal = ok(alice.run("wal", "status")).out();
        while (!wal.contains("unacked events: 0") && System.nanoTime() < until) {
          Thread.sleep(100);
          wal = ok(alice.run("wal", "status")).out();
        }
        assertThat(wal).contains("unacked events: 0");
        assertThat(m.host("mothership", "peers", "--detail").out())
            // both listen on loopback: whichever dialed connected at its first hint ("-": it was dialed)
            .containsPattern("(?m)^peer_[0-9a-f]{8} +alice@acme\\.com +online +\\S+ +(-|([1-3])/\\2) +[1-9][0-9]*$")
            .containsPattern("(?m)^peer_[0-9a-f]{8} +bob@acme\\.com +online +\\S+ +(-|([1-3])/\\2) +0$");
      }
      Cli.Result status = m.host("mothership", "status");
      assertThat(status.field("workspaces")).startsWith("default at 2");
      assertThat(status.field("sync_backlog")).startsWith("0 events");
    }
  }

  @Test
  void aStoreThatFallsBehind_makesHealthzSayWalBehind_andDoctorExplainIt_untilItCatchesUp() throws Exception {
    String config = CONFIG + "max_backlog = 1\n";
    try (MothershipFixture m = MothershipFixture.builder(temp).config(config).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      Path a = dir("alice");
      for (int i = 0; i < 5; i++) {
        Files.writeString(a.resolve("f" + i + ".txt"), "file " + i + "\n");
      }
      ok(once(alice, a));
      for (int i = 0; i < 5; i++) {
        Files.delete(a.resolve("f" + i + ".txt")); // five events that carry no content to upload
      }
      Https https = new Https(m.url(), m.host("mothership", "tls", "info").field("fingerprint"));
      assertThat(https.get("/healthz").statusCode()).isEqualTo(200);
      // Another writer holds the event log's database: commits wait, as on a disk that cannot keep up.
      try (java.sql.Connection lock = java.sql.DriverManager.getConnection("jdbc:sqlite:"
          + m.dataDir().eventDatabase())) {
        lock.createStatement().execute("BEGIN EXCLUSIVE");
        try (Background sync = new Background(alice.env(), "sync", "--dir", a.toString(), "--once")) {
          java.net.http.HttpResponse<String> health = awaitHealth(https, 503, BOUND);
          assertThat(health.body()).isEqualTo("{\"status\":\"degraded\",\"reason\":\"wal_behind\"}\n");
          Cli.Result doctor = m.host("doctor");
          assertThat(doctor.out()).containsPattern("(?m)^warning +DR013 sync store behind \\(wal_behind\\): 5"
              + " events wait to be persisted \\(sync.max_backlog 1\\)$");
          assertThat(m.host("mothership", "status").field("sync_backlog")).startsWith("5 events");
          lock.createStatement().execute("ROLLBACK");
          assertThat(sync.awaitExit(BOUND).exit()).isZero();
        }
      }
      assertThat(awaitHealth(https, 200, BOUND).body()).isEqualTo("{\"status\":\"ok\"}\n");
      assertThat(m.host("doctor").out()).containsPattern("(?m)^ok +DR013 ");
    }
  }

  private static java.net.http.HttpResponse<String> awaitHealth(Https https, int status, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    java.net.http.HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = https.get("/healthz");
      if (last.statusCode() == status) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("healthz never answered " + status + "; last: " + (last == null ? "none" : last.body()));
  }

  @Test
  void sync_withoutJoining_orOnAMissingDirectory_saysWhatIsWrong() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config(CONFIG).start()) {
      Cli.Result notJoined = m.peer("nobody").run("sync", "--dir", dir("x").toString(), "--once");
      assertThat(notJoined.exit()).isNotZero();
      assertThat(notJoined.err()).startsWith("error: ");
      MothershipFixture.Peer alice = m.peer("alice");
      ok(alice.join(m.issue("--for", "alice@acme.com")));
      Cli.Result missing = alice.run("sync", "--dir", temp.resolve("nope").toString(), "--once");
      assertThat(missing.exit()).isEqualTo(2);
      assertThat(missing.err()).startsWith("error: cannot sync " + temp.resolve("nope") + "\ncaused by: no such"
          + " directory");
      Cli.Result badName = alice.run("sync", "--dir", dir("y").toString(), "--workspace", "Bad Name", "--once");
      assertThat(badName.exit()).isEqualTo(2);
      assertThat(badName.err()).contains("invalid workspace name");
    }
  }

  @Test
  void walStatus_onAFreshPeer_printsTheDocumentedLayout() {
    Cli.Result r = Cli.run(dev.aura.app.cli.CliEnvironment.builder().variable("AURA_HOME",
        temp.resolve("fresh").toString()).userHome(temp).build(), "wal", "status");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("WAL:\n  unacked events: 0\n");
    assertThat(Files.exists(temp.resolve("fresh/sync.db"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
  @Test
  void walStatus_whenARefusedWalRowWasCorruptedOnDisk_saysSoNamingTheRow_andKeepsEveryRow() throws Exception {
    Path home = temp.resolve("corrupt-home");
    Path dir = Files.createDirectories(temp.resolve("corrupt-work"));
    Path db = home.resolve("sync.db");
    try (dev.aura.sync.PeerSyncStore store = dev.aura.sync.PeerSyncStore.open(db)) {
      dev.aura.sync.Replica replica = dev.aura.sync.Replica.open(store, dir, dev.aura.spi.WorkspaceName.parse(
          "widget"), dev.aura.spi.PeerId.parse("peer_0000000a"), 1024 * 1024, java.time.Clock.systemUTC());
      Files.writeString(dir.resolve("a.txt"), "a\n");
      Files.writeString(dir.resolve("b.txt"), "b\n");
      replica.scan();
      replica.refused(replica.pending(2).get(1).id(), "role_not_permitted", "role not permitted: read-only");
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.Statement s = c.createStatement()) {
      s.execute("UPDATE wal SET hash = 'not-a-hash' WHERE path = 'b.txt'");
    }

    Cli.Result r = Cli.run(dev.aura.app.cli.CliEnvironment.builder().variable("AURA_HOME", home.toString())
        .userHome(temp).build(), "wal", "status");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot read the WAL " + db + "\ncaused by: " + db.toRealPath()
        + " is corrupt: the WAL row ").contains("column hash holds 'not-a-hash'", "move it aside")
        .doesNotContain("Exception", "\tat ");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rows = s.executeQuery("SELECT group_concat(path || ':' || hash, ' ') FROM wal")) {
      rows.next();
      assertThat(rows.getString(1)).as("both rows kept as they were").startsWith("a.txt:")
          .endsWith(" b.txt:not-a-hash");
    }
  }
}
