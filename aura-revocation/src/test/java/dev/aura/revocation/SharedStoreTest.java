package dev.aura.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemoryAuditLog;
import dev.aura.testkit.InMemoryRevocationStore;
import dev.aura.testkit.InMemoryStoreChangeFeed;
import dev.aura.testkit.ManualClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads, and several Mothership processes, on one store. */
class SharedStoreTest {
  private final ManualClock clock = ManualClock.startingAt(TestMothership.START);
  private final InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
  private final InMemoryRevocationStore store = new InMemoryRevocationStore(feed);
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  @Test
  void concurrentRevocations_fromManyThreads_allLandWithDistinctGapFreeVersions() throws Exception {
    RevocationList list = RevocationList.open(store, audit, clock);
    int threads = 8;
    int perThread = 250;
    List<Revocation> told = new CopyOnWriteArrayList<>();
    list.addListener(told::add);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await();
          List<Long> versions = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            PeerId peer = PeerId.parse(String.format("peer_%04x%04x", thread, i));
            versions.add(list.revoke(RevocationTarget.peer(peer), "admin" + thread, null).version());
            // a reader on the same thread sees its own revocation at once
            if (list.revocationOfPeer(peer, "x", TestMothership.START).isEmpty()) {
              throw new AssertionError(peer + " not in force after revoke returned");
            }
          }
          return versions;
        }));
      }
      start.countDown();
      Set<Long> all = new HashSet<>();
      for (Future<List<Long>> f : results) {
        all.addAll(f.get(60, TimeUnit.SECONDS)); // bounds a hang; not a performance threshold
      }

      int total = threads * perThread;
      assertThat(all).hasSize(total);
      assertThat(all).allMatch(v -> v >= 1 && v <= total);
      assertThat(list.version()).isEqualTo(total);
      assertThat(list.size()).isEqualTo(total);
      assertThat(told).extracting(Revocation::version)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(audit.readChain(1, total + 1)).hasSize(total);
      assertThat(RevocationList.open(store, audit, clock).inForce()).isEqualTo(list.inForce());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void follow_appliesAnotherMothershipsRevocationAsSoonAsTheFeedAnnouncesIt_andTellsItsListeners()
      throws Exception {
    RevocationList mothershipA = RevocationList.open(store, audit, clock);
    RevocationList mothershipB = RevocationList.open(store, audit, clock);
    List<Revocation> toldB = new ArrayList<>();
    mothershipB.addListener(toldB::add);
    StoreChangeFeed.Subscription following = mothershipB.follow(feed, Runnable::run);

    mothershipA.revoke(RevocationTarget.peer(PeerId.parse("peer_0a1b2c3d")), "admin@acme.com", null);

    assertThat(mothershipB.find(RevocationTarget.peer(PeerId.parse("peer_0a1b2c3d")))).isPresent();
    assertThat(toldB).hasSize(1);
    following.close();
    mothershipA.revoke(RevocationTarget.peer(PeerId.parse("peer_1b2c3d4e")), "admin@acme.com", null);
    assertThat(mothershipB.version()).isEqualTo(1);
    assertThat(feed.listenerFailures()).isEmpty();
  }

  @Test
  void follow_coalescesNoticesWhileARefreshIsPending() throws Exception {
    RevocationList mothershipA = RevocationList.open(store, audit, clock);
    RevocationList mothershipB = RevocationList.open(store, audit, clock);
    List<Runnable> queued = new ArrayList<>();
    mothershipB.follow(feed, queued::add);

    for (int i = 0; i < 3; i++) {
      mothershipA.revoke(RevocationTarget.subject("user" + i + "@acme.com"), "admin@acme.com", null);
    }
    assertThat(queued).hasSize(1);
    queued.remove(0).run();

    assertThat(mothershipB.version()).isEqualTo(3);
    mothershipA.revoke(RevocationTarget.subject("late@acme.com"), "admin@acme.com", null);
    assertThat(queued).hasSize(1);
  }

  @Test
  void changesSince_onlyReturnsWhatThisListHasApplied() throws StoreException {
    RevocationList mothershipA = RevocationList.open(store, audit, clock);
    RevocationList mothershipB = RevocationList.open(store, audit, clock);
    mothershipA.revoke(RevocationTarget.subject("a@acme.com"), "admin@acme.com", null);
    mothershipB.revoke(RevocationTarget.subject("b@acme.com"), "admin@acme.com", null);
    mothershipA.revoke(RevocationTarget.subject("c@acme.com"), "admin@acme.com", null);

    // B caught up to its own version 2 when it revoked; version 3 is A's and not yet applied by B
    assertThat(mothershipB.version()).isEqualTo(2);
    assertThat(mothershipB.changesSince(0, 10)).extracting(RevocationEntry::version).containsExactly(1L, 2L);
  }
}
