package dev.aura.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class RaceTest {
  @Test
  void run_returnsEachContendersOutcomeByIndexFromDistinctThreads() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();

    List<Integer> outcomes = Race.run(8, i -> {
      threads.add(Thread.currentThread());
      return i * 10;
    });

    assertThat(outcomes).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
    assertThat(threads).hasSize(8);
  }

  @Test
  void run_withAFailingContender_failsWithItsCause() {
    assertThatExceptionOfType(AssertionError.class)
        .isThrownBy(() -> Race.run(4, i -> {
          if (i == 2) {
            throw new IllegalStateException("store down");
          }
          return i;
        }))
        .withMessageContaining("store down")
        .withCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void run_withNoThreads_isAProgrammerError() {
    assertThatIllegalArgumentException().isThrownBy(() -> Race.run(0, i -> i));
  }
}
