package dev.aura.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ledger benchmark's pieces, outside JMH. */
class LedgerConsumeTest {
  @Test
  void postgresUrl_whenTheVariableIsUnsetOrBlank_failsNamingIt() {
    for (String value : new String[] {null, " "}) {
      assertThatThrownBy(() -> LedgerConsume.Postgres.requireUrl(value))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("AURA_TEST_POSTGRES_URL is not set: the PostgreSQL ledger benchmarks need a"
              + " server");
    }
  }

  @Test
  void tokens_giveADistinctJtiEachTime_acrossThreadsStates() {
    LedgerConsume.Tokens a = new LedgerConsume.Tokens();
    LedgerConsume.Tokens b = new LedgerConsume.Tokens();
    Set<Jti> jtis = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      jtis.add(a.next().jti());
      jtis.add(b.next().jti());
    }

    assertThat(jtis).hasSize(2_000);
    assertThat(a.next().oneShot()).isTrue();
  }

  @Test
  void inMemoryStore_recordsAndConsumesFreshTokens() throws Exception {
    LedgerConsume.InMemory store = new LedgerConsume.InMemory();
    store.setUp();
    LedgerConsume.Tokens tokens = new LedgerConsume.Tokens();

    assertThat(store.recordAndConsume(tokens)).isEqualTo(ConsumeOutcome.CONSUMED);
    assertThat(store.recordAndConsume(tokens)).isEqualTo(ConsumeOutcome.CONSUMED);
    store.tearDown();
  }
}
