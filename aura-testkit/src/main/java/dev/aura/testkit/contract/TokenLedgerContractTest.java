package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.hashOf;
import static dev.aura.testkit.contract.ContractFixtures.jti;
import static dev.aura.testkit.contract.ContractFixtures.ledgerEntry;
import static dev.aura.testkit.contract.ContractFixtures.tokenHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.Role;
import dev.aura.spi.TokenLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link TokenLedger} contract. Every implementation's test extends this class and says how to make a
 * fresh, empty store:
 *
 * <pre>{@code
 * class SqliteTokenLedgerTest extends TokenLedgerContractTest {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected TokenLedger newStore() throws Exception {
 *     return SqliteStores.open(dir.resolve("aura.db")).tokenLedger();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers: recording (a duplicate jti is refused and changes nothing); the order of the consume checks
 * (UNKNOWN, then EXPIRED, then ALREADY_USED); the expiry boundary ({@code now} must be strictly before
 * {@code expiresAt}); N-use tokens; empty-not-null; null arguments; and atomic consumption raced by 64
 * threads.
 */
public abstract class TokenLedgerContractTest extends StoreContract<TokenLedger> {
  private static final Instant EXPIRES = T0.plus(Duration.ofMinutes(15));
  private static final Instant BEFORE_EXPIRY = T0.plusSeconds(60);
  private static final int RACERS = 64;


  @Test
  void find_onEmptyLedger_isEmptyNotNull() throws Exception {
    assertThat(store.find(jti())).isNotNull().isEmpty();
  }

  @Test
  void record_newJti_returnsTrueAndFindReturnsTheEntryUnconsumed() throws Exception {
    LedgerEntry entry = LedgerEntry.issued(jti(), "carol@contractor.com", Role.READ_ONLY, T0, EXPIRES, 3,
        hashOf("the token"));

    assertThat(store.record(entry)).isTrue();

    assertThat(store.find(entry.jti())).contains(entry);
  }

  @Test
  void record_severalTokens_keepsEachApart() throws Exception {
    LedgerEntry first = ledgerEntry(jti(), 1, EXPIRES);
    LedgerEntry second = ledgerEntry(jti(), 2, EXPIRES.plusSeconds(60));

    assertThat(store.record(first)).isTrue();
    assertThat(store.record(second)).isTrue();

    assertThat(store.find(first.jti())).contains(first);
    assertThat(store.find(second.jti())).contains(second);
  }

  @Test
  void record_duplicateJti_returnsFalseAndKeepsTheFirstEntry() throws Exception {
    LedgerEntry first = ledgerEntry(jti(), 1, EXPIRES);
    LedgerEntry second = LedgerEntry.issued(first.jti(), "mallory@example.com", Role.ADMIN, T0,
        EXPIRES.plusSeconds(3600), 5, hashOf("another token"));
    store.record(first);

    assertThat(store.record(second)).isFalse();

    assertThat(store.find(first.jti())).contains(first);
    assertThat(store.consume(first.jti(), second.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.UNKNOWN);
  }

  @Test
  void record_duplicateJtiOfConsumedToken_returnsFalseAndKeepsItsConsumption() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);
    store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY);

    assertThat(store.record(entry)).isFalse();

    assertThat(store.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(1);
    assertThat(store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.ALREADY_USED);
  }

  @Test
  void consume_oneShotToken_isConsumedOnceThenAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    assertThat(store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.CONSUMED);
    assertThat(store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.ALREADY_USED);

    assertThat(store.find(entry.jti())).get().satisfies(found -> {
      assertThat(found.usesConsumed()).isEqualTo(1);
      assertThat(found.usesRemaining()).isZero();
    });
  }

  @Test
  void consume_tokenAllowingFiveUses_isConsumedFiveTimesThenAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 5, EXPIRES);
    store.record(entry);

    for (int use = 1; use <= 5; use++) {
      assertThat(store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
          .as("use %d of 5", use).isEqualTo(ConsumeOutcome.CONSUMED);
      assertThat(store.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(use);
    }
    assertThat(store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.ALREADY_USED);

    assertThat(store.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(5);
  }

  @Test
  void consume_oneToken_leavesOtherTokensUntouched() throws Exception {
    LedgerEntry consumed = ledgerEntry(jti(), 1, EXPIRES);
    LedgerEntry other = ledgerEntry(jti(), 1, EXPIRES);
    store.record(consumed);
    store.record(other);

    store.consume(consumed.jti(), consumed.tokenHash(), BEFORE_EXPIRY);

    assertThat(store.find(other.jti())).contains(other);
    assertThat(store.consume(other.jti(), other.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.CONSUMED);
  }

  @Test
  void consume_unknownJti_isUnknown() throws Exception {
    Jti never = jti();

    assertThat(store.consume(never, tokenHash(never), BEFORE_EXPIRY)).isEqualTo(ConsumeOutcome.UNKNOWN);

    assertThat(store.find(never)).isEmpty();
  }

  @Test
  void consume_withTheHashOfAnotherToken_isUnknownAndConsumesNothing() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    assertThat(store.consume(entry.jti(), hashOf("a forged token"), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.UNKNOWN);

    assertThat(store.find(entry.jti())).contains(entry);
    assertThat(store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.CONSUMED);
  }

  @Test
  void consume_withTheHashOfAnotherTokenAfterExpiry_isUnknownBeforeExpired() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    assertThat(store.consume(entry.jti(), hashOf("a forged token"), EXPIRES.plusSeconds(1)))
        .isEqualTo(ConsumeOutcome.UNKNOWN);
  }

  @Test
  void consume_withTheHashOfAnotherTokenWhenUsedUp_isUnknownBeforeAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);
    store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY);

    assertThat(store.consume(entry.jti(), hashOf("a forged token"), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.UNKNOWN);
  }

  @Test
  void consume_exactlyAtExpiry_isExpiredAndConsumesNothing() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    assertThat(store.consume(entry.jti(), entry.tokenHash(), EXPIRES)).isEqualTo(ConsumeOutcome.EXPIRED);

    assertThat(store.find(entry.jti())).contains(entry);
  }

  @Test
  void consume_oneNanosecondBeforeExpiry_isConsumed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    assertThat(store.consume(entry.jti(), entry.tokenHash(), EXPIRES.minusNanos(1)))
        .isEqualTo(ConsumeOutcome.CONSUMED);
  }

  @Test
  void consume_oneSecondAfterExpiry_isExpiredAndConsumesNothing() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 3, EXPIRES);
    store.record(entry);

    assertThat(store.consume(entry.jti(), entry.tokenHash(), EXPIRES.plusSeconds(1)))
        .isEqualTo(ConsumeOutcome.EXPIRED);

    assertThat(store.find(entry.jti())).contains(entry);
  }

  @Test
  void consume_usedUpTokenAfterExpiry_isExpiredBeforeAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);
    store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY);

    assertThat(store.consume(entry.jti(), entry.tokenHash(), EXPIRES)).isEqualTo(ConsumeOutcome.EXPIRED);
  }

  @Test
  void consume_oneShotTokenRacedBy64Threads_isConsumedExactlyOnce() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    List<ConsumeOutcome> outcomes =
        Race.run(RACERS, i -> store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY));

    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.CONSUMED).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.ALREADY_USED).hasSize(RACERS - 1);
    assertThat(store.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(1);
  }

  @Test
  void consume_fiveUseTokenRacedBy64Threads_isConsumedExactlyFiveTimes() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 5, EXPIRES);
    store.record(entry);

    List<ConsumeOutcome> outcomes =
        Race.run(RACERS, i -> store.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY));

    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.CONSUMED).hasSize(5);
    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.ALREADY_USED).hasSize(RACERS - 5);
    assertThat(store.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(5);
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    store.record(entry);

    assertThatNullPointerException().isThrownBy(() -> store.record(null));
    assertThatNullPointerException().isThrownBy(() -> store.find(null));
    assertThatNullPointerException().isThrownBy(() -> store.consume(null, entry.tokenHash(), BEFORE_EXPIRY));
    assertThatNullPointerException().isThrownBy(() -> store.consume(entry.jti(), null, BEFORE_EXPIRY));
    assertThatNullPointerException().isThrownBy(() -> store.consume(entry.jti(), entry.tokenHash(), null));

    assertThat(store.find(entry.jti())).contains(entry);
  }
}
