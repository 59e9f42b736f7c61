package dev.aura.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * Records issued join tokens and consumes their uses.
 *
 * <p><b>Atomicity.</b> {@link #consume} is atomic: of any number of concurrent calls for a token allowing N
 * uses, exactly N return {@link ConsumeOutcome#CONSUMED} — across threads, and across processes sharing the
 * same database. <b>Thread safety:</b> all methods may be called concurrently. <b>Nulls:</b> no argument may
 * be null; {@link #find} returns an empty {@code Optional}, never null.
 */
public interface TokenLedger {
  /**
   * Records a newly issued token. Durable when this returns.
   *
   * @param entry the token's metadata and hash, with {@code usesConsumed} 0
   * @return {@code true} if recorded, {@code false} if that jti is already recorded (nothing changed)
   * @throws StoreException if the store failed
   */
  boolean record(LedgerEntry entry) throws StoreException;

  /**
   * Consumes one use of a token, atomically. Checks, in this order: a token with that jti and the same hash
   * exists (otherwise {@code UNKNOWN}); {@code now} is before its expiry ({@code EXPIRED}); a use is left
   * ({@code ALREADY_USED}).
   *
   * @param jti the token's id
   * @param tokenHash the hash of the token presented, compared in constant time with the recorded one
   * @param now the instant of the join, from the caller's clock
   * @return the outcome
   * @throws StoreException if the store failed; then no use was consumed
   */
  ConsumeOutcome consume(Jti jti, SecretHash tokenHash, Instant now) throws StoreException;

  /**
   * Looks up a token, for display ({@code token decode}) and audits.
   *
   * @return the entry with its current consumption, or empty
   * @throws StoreException if the store failed
   */
  Optional<LedgerEntry> find(Jti jti) throws StoreException;
}
