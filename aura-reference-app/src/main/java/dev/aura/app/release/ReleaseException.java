package dev.aura.app.release;

/**
 * A release that is refused or cannot be installed, with the operator's wording: {@link #reason()} says
 * which. The current installation is untouched when it is thrown.
 */
public final class ReleaseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The archive's bytes are not the ones the signed manifest names. */
    TAMPERED("release archive tampered"),
    /** The manifest's signature does not verify against this peer's copy of the Mothership's keys. */
    BAD_SIGNATURE("release signature invalid"),
    /** The release is older than the installed one. */
    DOWNGRADE("refusing a downgrade"),
    /** The release does not speak the Mothership's protocol. */
    PROTOCOL("release protocol mismatch"),
    /** Not enough free space to download and install it. */
    NO_SPACE("not enough disk space"),
    /** Not run from an installed release archive, or the installation is not as the README lays it out. */
    NOT_INSTALLED("not an installed release"),
    /** The archive is not a release archive. */
    MALFORMED("not a release archive"),
    /** No earlier installation to go back to. */
    NO_PREVIOUS("nothing to roll back to"),
    /** Reading or writing failed. */
    IO("self-update failed");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** @return the product's wording */
    public String text() {
      return text;
    }
  }

  private final Reason reason;
  private final String detail;

  /**
   * @param reason why
   * @param detail what was found
   */
  public ReleaseException(Reason reason, String detail) {
    super(reason.text() + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  /** @return why */
  public Reason reason() {
    return reason;
  }

  /** @return what was found */
  public String detail() {
    return detail;
  }
}
