package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.WorkspaceName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PeerSyncStoreTest extends ReplicaFixture {

  @Test
  void open_createsAPrivateFileInAPrivateDirectory_inWalMode() throws Exception {
    Path db = temp.resolve("home/aura/sync.db");
    PeerSyncStore.open(db).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent()))).isEqualTo("rwx------");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void open_aDirectoryBoundToAnotherWorkspaceOrPeer_isABindingMismatch() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("work"));
    try (PeerSyncStore store = PeerSyncStore.open(temp.resolve("sync.db"))) {
      Replica.open(store, dir, TestLog.WS, ALICE, MAX, CLOCK);
      assertThatThrownBy(() -> Replica.open(store, dir, WorkspaceName.parse("other"), ALICE, MAX, CLOCK))
          .isInstanceOfSatisfying(SyncStoreException.class, e -> assertThat(e.reason())
              .isEqualTo(SyncStoreException.Reason.BINDING_MISMATCH))
          .hasMessageContaining("bound to workspace 'widget' as peer_0000000a")
          .hasMessageContaining("'other' as peer_0000000a");
      assertThatThrownBy(() -> Replica.open(store, dir, TestLog.WS, BOB, MAX, CLOCK))
          .isInstanceOfSatisfying(SyncStoreException.class, e -> assertThat(e.reason())
              .isEqualTo(SyncStoreException.Reason.BINDING_MISMATCH));
      assertThat(Replica.open(store, dir, TestLog.WS, ALICE, MAX, CLOCK).directory()).isEqualTo(dir.toRealPath());
    }
    try (PeerSyncStore otherHome = PeerSyncStore.open(temp.resolve("other/sync.db"))) {
      assertThatThrownBy(() -> Replica.open(otherHome, dir, TestLog.WS, BOB, MAX, CLOCK))
          .as("another AURA_HOME binding the same directory").isInstanceOfSatisfying(SyncStoreException.class,
              e -> assertThat(e.reason()).isEqualTo(SyncStoreException.Reason.BINDING_MISMATCH));
    }
  }

  @Test
  void open_aCorruptFile_isATypedError_andLeavesTheFileUntouched() throws Exception {
    Path db = temp.resolve("sync.db");
    byte[] garbage = "this is not an SQLite database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    Files.write(db, garbage);
    assertThatThrownBy(() -> PeerSyncStore.open(db))
        .isInstanceOfSatisfying(SyncStoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(SyncStoreException.Reason.CORRUPT);
          assertThat(e.getMessage()).contains(db.toString(), "not a readable Aura sync database", "move it aside")
              .doesNotContain("\tat ");
        });
    assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
  }

  @Test
  void open_aFileFromANewerAura_isRefused() throws Exception {
    Path db = temp.resolve("sync.db");
    PeerSyncStore.open(db).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> PeerSyncStore.open(db))
        .isInstanceOfSatisfying(SyncStoreException.class, e -> assertThat(e.reason())
            .isEqualTo(SyncStoreException.Reason.NEWER_VERSION))
        .hasMessageContaining("version 99").hasMessageContaining("upgrade Aura");
  }

  @Test
  void walStatus_listsEveryBinding_withoutItsDirectory_andCountsAcks() throws Exception {
    Path db = temp.resolve("sync.db");
    try (PeerSyncStore store = PeerSyncStore.open(db)) {
      Replica one = Replica.open(store, Files.createDirectories(temp.resolve("one")), TestLog.WS, ALICE, MAX, CLOCK);
      Replica two = Replica.open(store, Files.createDirectories(temp.resolve("two")), WorkspaceName.parse("docs"),
          ALICE, MAX, CLOCK);
      Trees.write(one.directory(), "a.txt", "a");
      Trees.write(one.directory(), "b.txt", "b");
      one.scan();
      Trees.write(two.directory(), "c.txt", "c");
      two.scan();
      one.acknowledged(one.pending(1).get(0).id(), 1);
    }
    deleteRecursively(temp.resolve("one"));
    try (PeerSyncStore store = PeerSyncStore.open(db)) {
      assertThat(store.walStatus()).extracting(w -> w.workspace() + " " + w.unacked() + " " + w.lastAck().isPresent())
          .containsExactly("widget 1 true", "docs 1 false");
    }
  }

  @Test
  void walStatus_aWalRowCorruptedOnDisk_isCorruptNamingTheRowAndColumn_andTheOtherRowsStay() throws Exception {
    Path db = temp.resolve("sync.db");
    Replica replica;
    try (PeerSyncStore store = PeerSyncStore.open(db)) {
      replica = Replica.open(store, Files.createDirectories(temp.resolve("one")), TestLog.WS, ALICE, MAX, CLOCK);
      Trees.write(replica.directory(), "a.txt", "a");
      Trees.write(replica.directory(), "b.txt", "b");
      replica.scan();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("UPDATE wal SET path = '../../etc/passwd', state = 'REFUSED' WHERE local_seq = 2");
    }

    try (PeerSyncStore store = PeerSyncStore.open(db)) {
      assertThatThrownBy(store::walStatus).isInstanceOfSatisfying(SyncStoreException.class, e -> {
        assertThat(e.reason()).isEqualTo(SyncStoreException.Reason.CORRUPT);
        assertThat(e.getMessage()).startsWith(db + " is corrupt: the WAL row 2 of binding 1: column path holds"
            + " '../../etc/passwd' (invalid path: ").contains("while reading the WAL status", "move it aside")
            .doesNotContain("\tat ");
      });
      Replica again = Replica.open(store, temp.resolve("one"), TestLog.WS, ALICE, MAX, CLOCK);
      assertThat(again.pending(10)).extracting(p -> p.change().path().value()).containsExactly("a.txt");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM wal")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no row was dropped").isEqualTo(2);
    }
  }

  @Test
  void content_whoseStoredBytesWereTruncatedOnDisk_isCorrupt_notUploaded() throws Exception {
    Path db = temp.resolve("sync.db");
    try (PeerSyncStore store = PeerSyncStore.open(db)) {
      Replica replica = Replica.open(store, Files.createDirectories(temp.resolve("one")), TestLog.WS, ALICE, MAX,
          CLOCK);
      Trees.write(replica.directory(), "a.txt", "hello");
      replica.scan();
      ContentHash hash = replica.pending(1).get(0).change().hash();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
        s.execute("UPDATE wal SET content = substr(content, 1, 3)");
      }
      assertThatThrownBy(() -> replica.content(hash)).isInstanceOfSatisfying(SyncStoreException.class,
          e -> assertThat(e.reason()).isEqualTo(SyncStoreException.Reason.CORRUPT))
          .hasMessageContaining("the WAL row 1 of binding 1: column content holds 3 bytes that do not match their"
              + " hash " + hash.abbreviated());
    }
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
