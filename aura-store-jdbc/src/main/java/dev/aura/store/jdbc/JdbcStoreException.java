package dev.aura.store.jdbc;

import dev.aura.spi.StoreException;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a JDBC store could not be opened or could not complete an operation. A {@link StoreException}, so
 * callers of the storage SPIs handle it like any other store failure; {@link #reason()} tells an operator (or
 * a test) which kind of failure it was.
 *
 * <p>Messages name the database by its redacted location (never a password) and show what was found next
 * to what was expected. They never contain a token, key or credential.
 */
public final class JdbcStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure, each with a stable code and the wording printed before the details. */
  public enum Reason {
    /** The URL is neither {@code sqlite:PATH}, {@code postgresql://...} nor a supported JDBC URL. */
    UNSUPPORTED_URL("unsupported store URL"),
    /** The database server could not be reached or refused the login. */
    UNREACHABLE("database unreachable"),
    /** The file exists but is not an SQLite database (corrupted, truncated or some other file). */
    NOT_A_DATABASE("not an SQLite database"),
    /** The database has tables but is not an Aura store; it was left untouched. */
    FOREIGN_DATABASE("database is not an Aura store"),
    /** The database was written by a newer version of Aura; it was left untouched. */
    NEWER_SCHEMA("database schema is newer than this version of Aura"),
    /** Bringing the schema up to date failed, or the recorded migrations do not match this version's. */
    MIGRATION_FAILED("schema migration failed"),
    /** The signing-key file is missing, unreadable, not owner-only or does not match the database. */
    KEY_FILE("signing key file unusable"),
    /** A query or transaction failed. */
    OPERATION_FAILED("database operation failed"),
    /** The store was closed. */
    CLOSED("store is closed");

    private final String wording;

    Reason(String wording) {
      this.wording = wording;
    }

    /** @return the fixed wording, for example {@code database is not an Aura store} */
    public String wording() {
      return wording;
    }

    /** @return a stable lowercase code, for example {@code foreign_database} */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  /**
   * @param reason the kind of failure
   * @param detail what was found and what was expected; never a secret
   */
  public JdbcStoreException(Reason reason, String detail) {
    super(Objects.requireNonNull(reason, "reason").wording() + ": " + detail);
    this.reason = reason;
  }

  /**
   * @param reason the kind of failure
   * @param detail what was found and what was expected; never a secret
   * @param cause the underlying failure
   */
  public JdbcStoreException(Reason reason, String detail, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason").wording() + ": " + detail, cause);
    this.reason = reason;
  }

  /** @return the kind of failure */
  public Reason reason() {
    return reason;
  }
}
