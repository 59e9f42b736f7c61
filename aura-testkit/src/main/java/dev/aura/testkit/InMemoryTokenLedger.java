package dev.aura.testkit;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.SecretHash;
import dev.aura.spi.TokenLedger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TokenLedger} in memory, for tests and single-process tools. Thread-safe; {@link #consume} is
 * atomic per token, so of any number of concurrent consumers of an N-use token exactly N succeed.
 *
 * <pre>{@code
 * InMemoryTokenLedger ledger = new InMemoryTokenLedger();
 * ledger.record(LedgerEntry.issued(jti, "carol@example.com", Role.MEMBER, iat, exp, 1, SecretHash.of(token)));
 * ledger.consume(jti, SecretHash.of(token), clock.instant());   // CONSUMED, then ALREADY_USED
 * }</pre>
 *
 * <p>Never throws {@link dev.aura.spi.StoreException}: memory does not fail. Nothing survives the object.
 */
public final class InMemoryTokenLedger implements TokenLedger {
  private final ConcurrentMap<Jti, LedgerEntry> entries = new ConcurrentHashMap<>();
  private final InMemoryUnitOfWork units;

  /** An empty ledger with a unit of work of its own. */
  public InMemoryTokenLedger() {
    this(new InMemoryUnitOfWork());
  }

  InMemoryTokenLedger(InMemoryUnitOfWork units) {
    this.units = units;
  }

  /** {@inheritDoc} */
  @Override
  public boolean record(LedgerEntry entry) {
    Objects.requireNonNull(entry, "entry");
    return units.locked(() -> {
      boolean recorded = entries.putIfAbsent(entry.jti(), entry) == null;
      if (recorded) {
        units.undo(() -> entries.remove(entry.jti()));
      }
      return recorded;
    });
  }

  /** {@inheritDoc} */
  @Override
  public ConsumeOutcome consume(Jti jti, SecretHash tokenHash, Instant now) {
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(now, "now");
    return units.locked(() -> consumeLocked(jti, tokenHash, now));
  }

  private ConsumeOutcome consumeLocked(Jti jti, SecretHash tokenHash, Instant now) {
    ConsumeOutcome[] outcome = {ConsumeOutcome.UNKNOWN};
    LedgerEntry before = entries.get(jti);
    entries.computeIfPresent(jti, (key, entry) -> {
      // SecretHash.equals compares in constant time (MessageDigest.isEqual).
      if (!entry.tokenHash().equals(tokenHash)) {
        outcome[0] = ConsumeOutcome.UNKNOWN;
        return entry;
      }
      if (!now.isBefore(entry.expiresAt())) {
        outcome[0] = ConsumeOutcome.EXPIRED;
        return entry;
      }
      if (entry.usesRemaining() < 1) {
        outcome[0] = ConsumeOutcome.ALREADY_USED;
        return entry;
      }
      outcome[0] = ConsumeOutcome.CONSUMED;
      return new LedgerEntry(entry.jti(), entry.subject(), entry.role(), entry.issuedAt(),
          entry.expiresAt(), entry.allowedUses(), entry.usesConsumed() + 1, entry.tokenHash());
    });
    if (outcome[0] == ConsumeOutcome.CONSUMED) {
      units.undo(() -> entries.put(jti, before));
    }
    return outcome[0];
  }

  /** {@inheritDoc} */
  @Override
  public Optional<LedgerEntry> find(Jti jti) {
    Objects.requireNonNull(jti, "jti");
    return units.locked(() -> Optional.ofNullable(entries.get(jti)));
  }
}
