package dev.aura.spi;

/** The result of {@link TokenLedger#consume}: exactly one of these, decided atomically. */
public enum ConsumeOutcome {
  /** One use was consumed by this call. */
  CONSUMED,
  /** Every allowed use was consumed before this call; nothing changed. */
  ALREADY_USED,
  /** No token with that jti and hash was recorded; nothing changed. */
  UNKNOWN,
  /** The token's expiry has passed at the instant given; nothing changed. */
  EXPIRED
}
