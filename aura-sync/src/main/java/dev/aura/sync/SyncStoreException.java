package dev.aura.sync;

/**
 * A failure of the peer's sync state ({@link PeerSyncStore}, {@link Replica}), with a reason an operator can
 * act on. The message names the file or directory and what to do; it never carries file content, a secret or
 * a stack trace.
 */
public final class SyncStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the sync state could not be read or written. */
  public enum Reason {
    /** The disk holding sync.db or the synced directory is full; nothing was recorded or applied. */
    DISK_FULL("disk-full"),
    /** sync.db is not a sync database, or SQLite found it damaged. */
    CORRUPT("corrupt"),
    /** sync.db was written by a newer Aura. */
    NEWER_VERSION("newer-version"),
    /** The directory is bound to another workspace or another peer. */
    BINDING_MISMATCH("binding-mismatch"),
    /** Another process holds sync.db locked for longer than the busy timeout. */
    BUSY("busy"),
    /** Any other failure to read or write the sync state or the directory. */
    IO("io");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** @return the stable code, for example {@code disk-full} */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  /** @param message what happened and what to do */
  public SyncStoreException(Reason reason, String message) {
    super(message);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /** @param message what happened and what to do */
  public SyncStoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /** @return why */
  public Reason reason() {
    return reason;
  }
}
