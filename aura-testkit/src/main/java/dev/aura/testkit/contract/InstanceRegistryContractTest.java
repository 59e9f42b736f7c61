package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.InstanceRecord;
import dev.aura.spi.InstanceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link InstanceRegistry} contract. Every implementation's test extends this class and says how to make
 * a fresh, empty registry.
 *
 * <p>Covers: {@code list} empty-not-null; every field round-trips exactly (nanoseconds included); a
 * heartbeat replaces its own row and leaves the others; start order with ties by id; {@code remove} of one
 * and of an unknown id; staleness at the exact boundary; nulls; and concurrent heartbeats of 8 instances
 * leave exactly 8 rows, each with its last beat.
 */
public abstract class InstanceRegistryContractTest extends StoreContract<InstanceRegistry> {
  private static final Duration INTERVAL = Duration.ofSeconds(2);

  private static InstanceRecord instance(String id, Instant startedAt) {
    return new InstanceRecord(id, "https://10.0.0.1:" + (7000 + Math.abs(id.hashCode() % 1000)), startedAt,
        startedAt, 0, "0.13.0");
  }

  @Test
  void list_emptyRegistry_isEmptyNotNull() throws Exception {
    assertThat(store.list()).isNotNull().isEmpty();
  }

  @Test
  void heartbeat_thenList_returnsAnEqualRecord() throws Exception {
    InstanceRecord a = new InstanceRecord("i-a", "https://[::1]:7777", T0.plusNanos(123_456_789),
        T0.plusSeconds(4).plusNanos(987_654_321), 42, "0.13.0-SNAPSHOT");

    store.heartbeat(a);

    assertThat(store.list()).containsExactly(a);
  }

  @Test
  void heartbeat_again_replacesOnlyItsOwnRow() throws Exception {
    InstanceRecord a = instance("i-a", T0);
    InstanceRecord b = instance("i-b", T0.plusSeconds(1));
    store.heartbeat(a);
    store.heartbeat(b);

    InstanceRecord later = a.beat(T0.plusSeconds(10), 7);
    store.heartbeat(later);

    assertThat(store.list()).containsExactly(later, b);
  }

  @Test
  void list_isInStartOrderThenById() throws Exception {
    InstanceRecord late = instance("i-0", T0.plusSeconds(30));
    InstanceRecord tieB = instance("i-b", T0);
    InstanceRecord tieA = instance("i-a", T0);
    store.heartbeat(late);
    store.heartbeat(tieB);
    store.heartbeat(tieA);

    assertThat(store.list()).extracting(InstanceRecord::instanceId).containsExactly("i-a", "i-b", "i-0");
  }

  @Test
  void remove_deletesOneRow_andAnUnknownIdIsANoOp() throws Exception {
    InstanceRecord a = instance("i-a", T0);
    InstanceRecord b = instance("i-b", T0);
    store.heartbeat(a);
    store.heartbeat(b);

    store.remove("i-a");
    store.remove("i-never");

    assertThat(store.list()).containsExactly(b);
  }

  @Test
  void isStale_exactlyThreeIntervalsOld_isNotStale_oneNanoLaterItIs() throws Exception {
    store.heartbeat(instance("i-a", T0));
    InstanceRecord stored = store.list().get(0);

    assertThat(stored.isStale(T0.plus(INTERVAL.multipliedBy(3)), INTERVAL)).isFalse();
    assertThat(stored.isStale(T0.plus(INTERVAL.multipliedBy(3)).plusNanos(1), INTERVAL)).isTrue();
  }

  @Test
  void nullArguments_areRefused() {
    assertThatNullPointerException().isThrownBy(() -> store.heartbeat(null));
    assertThatNullPointerException().isThrownBy(() -> store.remove(null));
  }

  @Test
  void concurrentHeartbeats_ofEightInstances_leaveEightRowsWithTheirLastBeat() throws Exception {
    int instances = 8;
    int beats = 20;
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        InstanceRecord first = instance("i-" + i, T0);
        done.add(pool.submit(() -> {
          for (int beat = 1; beat <= beats; beat++) {
            store.heartbeat(first.beat(T0.plusSeconds(beat), beat));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<InstanceRecord> rows = store.list();
    assertThat(rows).hasSize(instances);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.heartbeatAt()).isEqualTo(T0.plusSeconds(beats));
      assertThat(r.connectedPeers()).isEqualTo(beats);
    });
  }
}
