package dev.aura.sync;

import java.util.Locale;
import java.util.Objects;

/**
 * Why the Mothership's {@link EventLog} could not be opened or could not complete an operation.
 * {@link #reason()} tells an operator (or a test) which kind of failure it was.
 *
 * <p>Messages name the database by its redacted location (never a password), show what was found next to
 * what was expected, and never echo raw input from a peer: only validated values (workspace names, event
 * ids, abbreviated hashes, sizes).
 */
public final class EventLogException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure, each with a stable code and the wording printed before the details. */
  public enum Reason {
    /** The URL is neither {@code sqlite:PATH} nor {@code postgresql://...}. */
    UNSUPPORTED_URL("unsupported event log URL"),
    /** The database server could not be reached, refused the login, or the connection broke. */
    UNREACHABLE("event log database unreachable"),
    /** The file is not an SQLite database (corrupted, truncated or some other file); it was left untouched. */
    CORRUPT("event log database is corrupted"),
    /** The database was written by a newer version of Aura; it was left untouched. */
    NEWER_SCHEMA("event log schema is newer than this version of Aura"),
    /** The database holds sync tables that are not Aura's event log; it was left untouched. */
    FOREIGN_DATABASE("database is not an Aura event log"),
    /** Bringing the schema up to date failed, or the recorded migrations do not match this version's. */
    MIGRATION_FAILED("event log schema migration failed"),
    /** Blob content does not hash to the hash it was stored under. */
    BAD_CONTENT("blob content does not match its hash"),
    /** Blob content is larger than the configured maximum file size. */
    TOO_LARGE("blob is too large"),
    /** More events are waiting to be committed than the log accepts; the submission was not queued. */
    BACKLOG_FULL("sync backlog full"),
    /** The event log was closed. */
    CLOSED("event log closed"),
    /** A query, transaction or file operation failed. */
    IO("event log operation failed");

    private final String wording;

    Reason(String wording) {
      this.wording = wording;
    }

    /** @return the fixed wording, for example {@code event log closed} */
    public String wording() {
      return wording;
    }

    /** @return a stable lowercase code, for example {@code newer_schema} */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  /**
   * @param reason the kind of failure
   * @param detail what was found and what was expected; never a secret or raw peer input
   */
  public EventLogException(Reason reason, String detail) {
    super(Objects.requireNonNull(reason, "reason").wording() + ": " + detail);
    this.reason = reason;
  }

  /**
   * @param reason the kind of failure
   * @param detail what was found and what was expected; never a secret or raw peer input
   * @param cause the underlying failure (for logs; the message already says what happened)
   */
  public EventLogException(Reason reason, String detail, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason").wording() + ": " + detail, cause);
    this.reason = reason;
  }

  /** @return the kind of failure */
  public Reason reason() {
    return reason;
  }
}
