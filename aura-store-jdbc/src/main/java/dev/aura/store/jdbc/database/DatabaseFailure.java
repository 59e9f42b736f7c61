package dev.aura.store.jdbc.database;

/**
 * The kinds of failure {@link SqlDatabase} reports through a {@link FailureFactory}; each module maps them to
 * the reasons of its own exception.
 */
public enum DatabaseFailure {
  /** The URL is neither {@code sqlite:PATH} nor {@code postgresql://...} (or names no plain file). */
  UNSUPPORTED_URL,
  /** The server could not be reached, refused the login, or the connection broke. */
  UNREACHABLE,
  /** At open: the file is not an SQLite database (corrupted, truncated or another kind of file); untouched. */
  NOT_A_DATABASE,
  /** At open: the database holds tables that are not ours and no history table; untouched. */
  FOREIGN_DATABASE,
  /** At open: the history table records a version newer than the migrations given; untouched. */
  NEW_SCHEMA,
  /** Flyway failed, or the migrations applied before do not match the files given. */
  MIGRATION_FAILED,
  /** After open: SQLite reported a corrupted database during an operation. */
  CORRUPTED,
  /** A query, transaction or file operation failed. */
  OPERATION_FAILED,
  /** The database was closed before or during the operation. */
  CLOSED
}
