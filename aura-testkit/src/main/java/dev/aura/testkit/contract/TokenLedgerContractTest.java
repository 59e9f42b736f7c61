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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
public abstract class TokenLedgerContractTest {
  private static final Instant EXPIRES = T0.plus(Duration.ofMinutes(15));
  private static final Instant BEFORE_EXPIRY = T0.plusSeconds(60);
  private static final int RACERS = 64;

  private TokenLedger ledger;

  /** For subclasses. */
  protected TokenLedgerContractTest() {}

  /**
   * A fresh, empty store for each test.
   *
   * @return the store under test
   * @throws Exception if it could not be created
   */
  protected abstract TokenLedger newStore() throws Exception;

  /**
   * Releases a store made by {@link #newStore()}; by default closes it if it is {@link AutoCloseable}.
   *
   * @param store the store to release
   * @throws Exception if it could not be released
   */
  protected void closeStore(TokenLedger store) throws Exception {
    if (store instanceof AutoCloseable c) {
      c.close();
    }
  }

  @BeforeEach
  final void openStoreUnderTest() throws Exception {
    ledger = newStore();
  }

  @AfterEach
  final void closeStoreUnderTest() throws Exception {
    if (ledger != null) {
      closeStore(ledger);
    }
  }

  @Test
  void find_onEmptyLedger_isEmptyNotNull() throws Exception {
    assertThat(ledger.find(jti())).isNotNull().isEmpty();
  }

  @Test
  void record_newJti_returnsTrueAndFindReturnsTheEntryUnconsumed() throws Exception {
    LedgerEntry entry = LedgerEntry.issued(jti(), "carol@contractor.com", Role.READ_ONLY, T0, EXPIRES, 3,
        hashOf("the token"));

    assertThat(ledger.record(entry)).isTrue();

    assertThat(ledger.find(entry.jti())).contains(entry);
  }

  @Test
  void record_severalTokens_keepsEachApart() throws Exception {
    LedgerEntry first = ledgerEntry(jti(), 1, EXPIRES);
    LedgerEntry second = ledgerEntry(jti(), 2, EXPIRES.plusSeconds(60));

    assertThat(ledger.record(first)).isTrue();
    assertThat(ledger.record(second)).isTrue();

    assertThat(ledger.find(first.jti())).contains(first);
    assertThat(ledger.find(second.jti())).contains(second);
  }

  @Test
  void record_duplicateJti_returnsFalseAndKeepsTheFirstEntry() throws Exception {
    LedgerEntry first = ledgerEntry(jti(), 1, EXPIRES);
    LedgerEntry second = LedgerEntry.issued(first.jti(), "mallory@example.com", Role.ADMIN, T0,
        EXPIRES.plusSeconds(3600), 5, hashOf("another token"));
    ledger.record(first);

    assertThat(ledger.record(second)).isFalse();

    assertThat(ledger.find(first.jti())).contains(first);
    assertThat(ledger.consume(first.jti(), second.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.UNKNOWN);
  }

  @Test
  void record_duplicateJtiOfConsumedToken_returnsFalseAndKeepsItsConsumption() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);
    ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY);

    assertThat(ledger.record(entry)).isFalse();

    assertThat(ledger.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(1);
    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.ALREADY_USED);
  }

  @Test
  void consume_oneShotToken_isConsumedOnceThenAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.CONSUMED);
    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.ALREADY_USED);

    assertThat(ledger.find(entry.jti())).get().satisfies(found -> {
      assertThat(found.usesConsumed()).isEqualTo(1);
      assertThat(found.usesRemaining()).isZero();
    });
  }

  @Test
  void consume_tokenAllowingFiveUses_isConsumedFiveTimesThenAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 5, EXPIRES);
    ledger.record(entry);

    for (int use = 1; use <= 5; use++) {
      assertThat(ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
          .as("use %d of 5", use).isEqualTo(ConsumeOutcome.CONSUMED);
      assertThat(ledger.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(use);
    }
    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.ALREADY_USED);

    assertThat(ledger.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(5);
  }

  @Test
  void consume_oneToken_leavesOtherTokensUntouched() throws Exception {
    LedgerEntry consumed = ledgerEntry(jti(), 1, EXPIRES);
    LedgerEntry other = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(consumed);
    ledger.record(other);

    ledger.consume(consumed.jti(), consumed.tokenHash(), BEFORE_EXPIRY);

    assertThat(ledger.find(other.jti())).contains(other);
    assertThat(ledger.consume(other.jti(), other.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.CONSUMED);
  }

  @Test
  void consume_unknownJti_isUnknown() throws Exception {
    Jti never = jti();

    assertThat(ledger.consume(never, tokenHash(never), BEFORE_EXPIRY)).isEqualTo(ConsumeOutcome.UNKNOWN);

    assertThat(ledger.find(never)).isEmpty();
  }

  @Test
  void consume_withTheHashOfAnotherToken_isUnknownAndConsumesNothing() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    assertThat(ledger.consume(entry.jti(), hashOf("a forged token"), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.UNKNOWN);

    assertThat(ledger.find(entry.jti())).contains(entry);
    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.CONSUMED);
  }

  @Test
  void consume_withTheHashOfAnotherTokenAfterExpiry_isUnknownBeforeExpired() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    assertThat(ledger.consume(entry.jti(), hashOf("a forged token"), EXPIRES.plusSeconds(1)))
        .isEqualTo(ConsumeOutcome.UNKNOWN);
  }

  @Test
  void consume_withTheHashOfAnotherTokenWhenUsedUp_isUnknownBeforeAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);
    ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY);

    assertThat(ledger.consume(entry.jti(), hashOf("a forged token"), BEFORE_EXPIRY))
        .isEqualTo(ConsumeOutcome.UNKNOWN);
  }

  @Test
  void consume_exactlyAtExpiry_isExpiredAndConsumesNothing() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), EXPIRES)).isEqualTo(ConsumeOutcome.EXPIRED);

    assertThat(ledger.find(entry.jti())).contains(entry);
  }

  @Test
  void consume_oneNanosecondBeforeExpiry_isConsumed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), EXPIRES.minusNanos(1)))
        .isEqualTo(ConsumeOutcome.CONSUMED);
  }

  @Test
  void consume_oneSecondAfterExpiry_isExpiredAndConsumesNothing() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 3, EXPIRES);
    ledger.record(entry);

    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), EXPIRES.plusSeconds(1)))
        .isEqualTo(ConsumeOutcome.EXPIRED);

    assertThat(ledger.find(entry.jti())).contains(entry);
  }

  @Test
  void consume_usedUpTokenAfterExpiry_isExpiredBeforeAlreadyUsed() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);
    ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY);

    assertThat(ledger.consume(entry.jti(), entry.tokenHash(), EXPIRES)).isEqualTo(ConsumeOutcome.EXPIRED);
  }

  @Test
  void consume_oneShotTokenRacedBy64Threads_isConsumedExactlyOnce() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    List<ConsumeOutcome> outcomes =
        Race.run(RACERS, i -> ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY));

    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.CONSUMED).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.ALREADY_USED).hasSize(RACERS - 1);
    assertThat(ledger.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(1);
  }

  @Test
  void consume_fiveUseTokenRacedBy64Threads_isConsumedExactlyFiveTimes() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 5, EXPIRES);
    ledger.record(entry);

    List<ConsumeOutcome> outcomes =
        Race.run(RACERS, i -> ledger.consume(entry.jti(), entry.tokenHash(), BEFORE_EXPIRY));

    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.CONSUMED).hasSize(5);
    assertThat(outcomes).filteredOn(o -> o == ConsumeOutcome.ALREADY_USED).hasSize(RACERS - 5);
    assertThat(ledger.find(entry.jti())).get().extracting(LedgerEntry::usesConsumed).isEqualTo(5);
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    LedgerEntry entry = ledgerEntry(jti(), 1, EXPIRES);
    ledger.record(entry);

    assertThatNullPointerException().isThrownBy(() -> ledger.record(null));
    assertThatNullPointerException().isThrownBy(() -> ledger.find(null));
    assertThatNullPointerException().isThrownBy(() -> ledger.consume(null, entry.tokenHash(), BEFORE_EXPIRY));
    assertThatNullPointerException().isThrownBy(() -> ledger.consume(entry.jti(), null, BEFORE_EXPIRY));
    assertThatNullPointerException().isThrownBy(() -> ledger.consume(entry.jti(), entry.tokenHash(), null));

    assertThat(ledger.find(entry.jti())).contains(entry);
  }
}
