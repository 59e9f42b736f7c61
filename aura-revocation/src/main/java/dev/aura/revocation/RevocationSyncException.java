package dev.aura.revocation;

import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer refused a signed revocation update, or found its copy of the revocation list too old to trust. The
 * message starts with the reason's text and goes on with the versions or times found next to those expected;
 * it never contains the update itself.
 *
 * <p>A transport failure while fetching an update is a {@link dev.aura.spi.TransportException} instead; a
 * misuse of the API is an {@link IllegalArgumentException}.
 */
public final class RevocationSyncException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an update was refused or the copy is not trusted. */
  public enum Reason {
    /**
     * Not a genuine, well-formed update of this Mothership: forged (unknown key), tampered (signature does
     * not verify), signed by a key whose rotation grace has ended, of another token type, or malformed. See
     * {@link #tokenRejection()}.
     */
    INVALID("invalid_update", "revocation update rejected"),
    /** Ends before the version the peer holds: applying it would roll the copy back. */
    ROLLBACK("rollback", "revocation update is older than the copy held"),
    /** Starts after the version the peer holds: the changes in between are missing. */
    GAP("gap", "revocation update has a gap"),
    /** The copy was last complete longer ago than the configured maximum staleness. */
    STALE("stale", "revocation list is too old to trust"),
    /**
     * A {@link SavedRevocationCopy} whose file is damaged: not in the saved format, cut short, or not the
     * bytes that were written. The file is left as it was.
     */
    CORRUPT("corrupt_copy", "saved revocation copy is damaged");

    private final String code;
    private final String text;

    Reason(String code, String text) {
      this.code = code;
      this.text = text;
    }

    /** @return a stable machine code, for example {@code rollback} */
    public String code() {
      return code;
    }

    /** @return the wording every message with this reason starts with */
    public String text() {
      return text;
    }
  }

  /** Why. */
  private final Reason reason;
  /** The token core's reason for an INVALID update, or null. */
  private final RejectionReason tokenRejection;

  /**
   * @param reason why
   * @param detail what was found next to what was expected
   */
  public RevocationSyncException(Reason reason, String detail) {
    super(reason.text() + ": " + detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.tokenRejection = null;
  }

  /**
   * An {@link Reason#INVALID} update, wrapping why the JWS or its claims were refused.
   *
   * @param cause the token core's rejection
   */
  public RevocationSyncException(TokenRejectedException cause) {
    super(Reason.INVALID.text() + ": " + cause.getMessage(), cause, false, false);
    this.reason = Reason.INVALID;
    this.tokenRejection = cause.reason();
  }

  /** @return why */
  public Reason reason() {
    return reason;
  }

  /**
   * @return for {@link Reason#INVALID}, the token core's reason: {@link RejectionReason#INVALID_SIGNATURE}
   *     for a forged, tampered or rotated-out signature, {@link RejectionReason#WRONG_TYPE} for another kind
   *     of token, {@link RejectionReason#MALFORMED} otherwise; empty for the other reasons
   */
  public Optional<RejectionReason> tokenRejection() {
    return Optional.ofNullable(tokenRejection);
  }
}
