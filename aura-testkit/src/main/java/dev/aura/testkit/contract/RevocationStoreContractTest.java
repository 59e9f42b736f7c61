package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.jti;
import static dev.aura.testkit.contract.ContractFixtures.peerId;
import static dev.aura.testkit.contract.ContractFixtures.revoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.RevocationTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link RevocationStore} contract. Every implementation's test extends this class and says how to make
 * a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteRevocationStoreTest extends RevocationStoreContractTest {
 *   @Override
 *   protected RevocationStore newStore() throws Exception {
 *     return SqliteStores.open(dir.resolve("aura.db")).revocationStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers: versions 1..n in append order; every field of a change round-trips (a missing reason stays
 * missing); {@code since} returns only later versions, oldest first, at most {@code limit}, and pages through
 * the whole list; {@code latestVersion} is 0 when empty; results are empty-not-null and not changed by later
 * appends; null arguments; and distinct, gap-free versions under appends from 16 threads.
 */
public abstract class RevocationStoreContractTest extends StoreContract<RevocationStore> {
  private static final int THREADS = 16;
  private static final int APPENDS_PER_THREAD = 4;


  @Test
  void latestVersion_ofEmptyStore_isZero() throws Exception {
    assertThat(store.latestVersion()).isZero();
  }

  @Test
  void since_onEmptyStore_isEmptyNotNull() throws Exception {
    assertThat(store.since(0, 100)).isNotNull().isEmpty();
  }

  @Test
  void append_firstChange_getsVersionOneAndKeepsTheChange() throws Exception {
    RevocationChange change = revoke(RevocationTarget.jti(jti()), T0);

    RevocationEntry entry = store.append(change);

    assertThat(entry).isEqualTo(new RevocationEntry(1, change));
    assertThat(store.latestVersion()).isEqualTo(1);
    assertThat(store.since(0, 100)).containsExactly(entry);
  }

  @Test
  void append_successiveChanges_getVersionsOneToNInAppendOrder() throws Exception {
    List<RevocationChange> changes = changes(5);

    List<Long> versions = new ArrayList<>();
    for (RevocationChange change : changes) {
      versions.add(store.append(change).version());
    }

    assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(store.latestVersion()).isEqualTo(5);
    assertThat(store.since(0, 100)).extracting(RevocationEntry::change).containsExactlyElementsOf(changes);
  }

  @Test
  void append_everyKindOfChange_roundTripsEveryField() throws Exception {
    List<RevocationChange> changes = List.of(
        new RevocationChange(RevocationChange.Action.REVOKE, RevocationTarget.jti(jti()), "admin@acme.com",
            T0, "leaked in a chat log"),
        new RevocationChange(RevocationChange.Action.REVOKE, RevocationTarget.subject("carol@contractor.com"),
            "local-admin", T0.plusSeconds(1), null),
        new RevocationChange(RevocationChange.Action.REVOKE, RevocationTarget.peer(peerId()), "admin@acme.com",
            T0.plusSeconds(2), "laptop stolen"),
        new RevocationChange(RevocationChange.Action.UNREVOKE, RevocationTarget.subject("carol@contractor.com"),
            "admin@acme.com", T0.plusSeconds(3), null));

    for (RevocationChange change : changes) {
      store.append(change);
    }

    List<RevocationEntry> stored = store.since(0, 100);
    assertThat(stored).extracting(RevocationEntry::change).containsExactlyElementsOf(changes);
    assertThat(stored.get(1).change().reasonIfAny()).isEmpty();
  }

  @Test
  void since_aVersion_returnsOnlyLaterVersionsOldestFirst() throws Exception {
    appendAll(changes(5));

    assertThat(store.since(2, 100)).extracting(RevocationEntry::version).containsExactly(3L, 4L, 5L);
    assertThat(store.since(4, 100)).extracting(RevocationEntry::version).containsExactly(5L);
  }

  @Test
  void since_atOrPastTheLatestVersion_isEmptyNotNull() throws Exception {
    appendAll(changes(3));

    assertThat(store.since(3, 100)).isNotNull().isEmpty();
    assertThat(store.since(10, 100)).isNotNull().isEmpty();
  }

  @Test
  void since_withLimit_returnsAtMostLimitOldestFirst() throws Exception {
    appendAll(changes(5));

    assertThat(store.since(0, 2)).extracting(RevocationEntry::version).containsExactly(1L, 2L);
    assertThat(store.since(0, 1)).extracting(RevocationEntry::version).containsExactly(1L);
    assertThat(store.since(3, 5)).extracting(RevocationEntry::version).containsExactly(4L, 5L);
  }

  @Test
  void since_pagedByLimit_readsEveryVersionOnce() throws Exception {
    List<RevocationChange> changes = changes(7);
    appendAll(changes);

    List<RevocationEntry> read = new ArrayList<>();
    long after = 0;
    for (List<RevocationEntry> page = store.since(after, 3); !page.isEmpty(); page = store.since(after, 3)) {
      assertThat(page).hasSizeLessThanOrEqualTo(3);
      read.addAll(page);
      after = page.get(page.size() - 1).version();
    }

    assertThat(read).extracting(RevocationEntry::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(read).extracting(RevocationEntry::change).containsExactlyElementsOf(changes);
  }

  @Test
  void since_resultIsNotChangedByLaterAppends() throws Exception {
    appendAll(changes(2));
    List<RevocationEntry> before = store.since(0, 100);
    List<RevocationEntry> copy = List.copyOf(before);

    appendAll(changes(2));

    assertThat(before).containsExactlyElementsOf(copy);
  }

  @Test
  void append_from16ThreadsAtOnce_getsDistinctGapFreeVersions() throws Exception {
    List<List<RevocationEntry>> perThread = Race.run(THREADS, thread -> {
      List<RevocationEntry> appended = new ArrayList<>();
      for (int i = 0; i < APPENDS_PER_THREAD; i++) {
        appended.add(store.append(revoke(RevocationTarget.jti(jti()), T0.plusSeconds(i))));
      }
      return appended;
    });

    int total = THREADS * APPENDS_PER_THREAD;
    List<RevocationEntry> returned = perThread.stream().flatMap(List::stream).collect(Collectors.toList());
    List<Long> expectedVersions = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList());
    assertThat(returned).extracting(RevocationEntry::version).containsExactlyInAnyOrderElementsOf(expectedVersions);
    assertThat(store.latestVersion()).isEqualTo(total);
    List<RevocationEntry> stored = store.since(0, total + 10);
    assertThat(stored).extracting(RevocationEntry::version).containsExactlyElementsOf(expectedVersions);
    assertThat(stored).containsExactlyInAnyOrderElementsOf(returned);
    for (List<RevocationEntry> appended : perThread) {
      assertThat(appended).extracting(RevocationEntry::version).as("one thread's appends, in its order")
          .isSorted();
    }
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    assertThatNullPointerException().isThrownBy(() -> store.append(null));

    assertThat(store.latestVersion()).isZero();
  }

  private List<RevocationChange> changes(int n) {
    List<RevocationChange> changes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      changes.add(revoke(RevocationTarget.jti(jti()), T0.plusSeconds(i)));
    }
    return changes;
  }

  private void appendAll(List<RevocationChange> changes) throws Exception {
    for (RevocationChange change : changes) {
      store.append(change);
    }
  }
}
