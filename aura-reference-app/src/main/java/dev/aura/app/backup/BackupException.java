package dev.aura.app.backup;

/**
 * A backup or restore that was refused or failed, with the operator's wording: {@link #reason()} says which,
 * the message says what was found. Nothing was written when it is thrown.
 */
public final class BackupException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a backup or restore was refused. */
  public enum Reason {
    /** The passphrase does not open the archive. */
    WRONG_PASSPHRASE("wrong passphrase"),
    /** The archive is truncated, modified, or not an Aura backup. */
    DAMAGED("backup archive damaged"),
    /** The target directory holds something already. */
    NOT_EMPTY("data directory not empty"),
    /** A Mothership runs from the target directory. */
    RUNNING("a Mothership is running"),
    /** The passphrase could not be read, or is unusable. */
    PASSPHRASE("cannot read the passphrase"),
    /** Reading or writing a file failed. */
    IO("backup failed");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** @return the product's wording, the start of every message of this reason */
    public String text() {
      return text;
    }
  }

  private final Reason reason;
  private final String detail;

  /**
   * @param reason why
   * @param detail what was found; never a secret
   */
  public BackupException(Reason reason, String detail) {
    super(reason.text() + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  /** @return why */
  public Reason reason() {
    return reason;
  }

  /** @return what was found, without the reason's wording */
  public String detail() {
    return detail;
  }
}
