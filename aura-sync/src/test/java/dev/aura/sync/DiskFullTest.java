package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A full disk, made real with a 2 MiB tmpfs (needs root to mount; skipped with a message otherwise). */
class DiskFullTest extends ReplicaFixture {
  private final List<Path> mounts = new ArrayList<>();

  private Path smallFileSystem(String name) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(name));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes());
    boolean done = mount.waitFor(20, TimeUnit.SECONDS);
    Assumptions.assumeTrue(done && mount.exitValue() == 0,
        "skipped: cannot mount a 2 MiB tmpfs to fill (needs root): " + output.trim());
    mounts.add(dir);
    return dir;
  }

  @AfterEach
  void unmount() throws Exception {
    closeStores();
    for (Path dir : mounts) {
      Process umount = new ProcessBuilder("umount", dir.toString()).start();
      if (!umount.waitFor(20, TimeUnit.SECONDS) || umount.exitValue() != 0) {
        new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    return b;
  }

  @Test
  void scan_whenTheStoresDiskIsFull_failsAsDiskFull_andLosesNothingRecordedBefore() throws Exception {
    Path home = smallFileSystem("home");
    Path dir = Files.createDirectories(temp.resolve("work"));
    PeerSyncStore store = track(PeerSyncStore.open(home.resolve("sync.db")));
    Replica a = Replica.open(store, dir, TestLog.WS, ALICE, 16L << 20, CLOCK);
    Trees.write(dir, "small.txt", "recorded before");
    List<PendingEvent> before = a.scan().recorded();
    Files.write(dir.resolve("big.bin"), random(3 << 20));

    assertThatThrownBy(a::scan).isInstanceOfSatisfying(SyncStoreException.class, e -> {
      assertThat(e.reason()).isEqualTo(SyncStoreException.Reason.DISK_FULL);
      assertThat(e.getMessage()).startsWith("disk full").contains("nothing of it was recorded");
    });
    assertThat(a.pending(100)).isEqualTo(before);
    Files.delete(dir.resolve("big.bin"));
    Trees.write(dir, "after.txt", "space again");
    assertThat(a.scan().recorded()).extracting(p -> p.change().path().value()).containsExactly("after.txt");
    store.close();
    try (PeerSyncStore reopened = track(PeerSyncStore.open(home.resolve("sync.db")))) {
      Replica again = Replica.open(reopened, dir, TestLog.WS, ALICE, 16L << 20, CLOCK);
      assertThat(again.pending(100)).extracting(p -> p.change().path().value())
          .containsExactly("small.txt", "after.txt");
    }
  }

  @Test
  void apply_whenTheDirectorysDiskIsFull_failsAsDiskFull_writesNothing_andRemovesItsTempFile() throws Exception {
    Path dir = smallFileSystem("work");
    Replica b = Replica.open(store(BOB), dir, TestLog.WS, BOB, 16L << 20, CLOCK);
    byte[] big = random(3 << 20);
    SyncEvent e = new SyncEvent(TestLog.WS, 1, new EventId(ALICE, 1),
        Change.putFile(SyncPath.parse("big.bin"), ContentHash.of(big), big.length, false, 0, NOW),
        SyncEvent.Outcome.APPLIED, null, TestLog.PERSISTED);

    assertThatThrownBy(() -> b.apply(e, (ws, h) -> new ByteArrayInputStream(big)))
        .isInstanceOfSatisfying(SyncStoreException.class, x -> {
          assertThat(x.reason()).isEqualTo(SyncStoreException.Reason.DISK_FULL);
          assertThat(x.getMessage()).contains("disk full", dir.toString(), "applying event 1");
        });
    assertThat(b.appliedSeq()).isZero();
    assertThat(Files.exists(dir.resolve("big.bin"))).isFalse();
    try (var tmp = Files.list(dir.resolve(".aura/tmp"))) {
      assertThat(tmp.filter(p -> p.getFileName().toString().startsWith("apply-"))).isEmpty();
    }
    byte[] small = "fits".getBytes();
    SyncEvent fits = new SyncEvent(TestLog.WS, 1, new EventId(ALICE, 1),
        Change.putFile(SyncPath.parse("small.txt"), ContentHash.of(small), small.length, false, 0, NOW),
        SyncEvent.Outcome.APPLIED, null, TestLog.PERSISTED);
    assertThat(b.apply(fits, (ws, h) -> new ByteArrayInputStream(small)).written()).hasSize(1);
  }
}
