package dev.aura.token;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A token was refused. The message starts with the reason's product wording and goes on with what was found
 * next to what was expected; it never contains the token, a key or a credential.
 *
 * <p>This is a rejection of input. A storage failure while checking a token is a
 * {@link dev.aura.spi.StoreException}; a misuse of the API is an {@link IllegalArgumentException} or
 * {@link IllegalStateException}.
 */
public final class TokenRejectedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final RejectionReason reason;
  private final transient Duration clockOffset;

  /**
   * @param reason why
   * @param detail what was found and what was expected; appended after the reason's text
   */
  public TokenRejectedException(RejectionReason reason, String detail) {
    this(reason, detail, null);
  }

  /**
   * @param reason why
   * @param detail what was found and what was expected
   * @param clockOffset for time-based rejections, how far the token's time is from this clock (positive when
   *     the token is ahead); null otherwise
   */
  public TokenRejectedException(RejectionReason reason, String detail, Duration clockOffset) {
    super(detail == null || detail.isEmpty() ? reason.text() : reason.text() + ": " + detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.clockOffset = clockOffset;
  }

  /** @return why the token was refused */
  public RejectionReason reason() {
    return reason;
  }

  /**
   * @return for {@link RejectionReason#EXPIRED} and {@link RejectionReason#NOT_YET_VALID}, how far the
   *     token's {@code exp}/{@code iat} is from this Mothership's clock; empty otherwise
   */
  public Optional<Duration> clockOffset() {
    return Optional.ofNullable(clockOffset);
  }
}
