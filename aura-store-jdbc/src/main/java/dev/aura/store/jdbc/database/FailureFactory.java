package dev.aura.store.jdbc.database;

/**
 * Turns a {@link DatabaseFailure} into the caller's own exception, so that {@link SqlDatabase} serves modules
 * with different exception types and reason wordings.
 *
 * <pre>{@code
 * FailureFactory<JdbcStoreException> failures =
 *     (failure, detail, cause) -> new JdbcStoreException(reasonOf(failure), detail, cause);
 * }</pre>
 *
 * <p>Implementations must be stateless and thread-safe; they are called from any thread that uses the
 * database. They must return, not throw, and never return null.
 *
 * @param <X> the exception type the caller's API declares
 */
@FunctionalInterface
public interface FailureFactory<X extends Exception> {
  /**
   * @param failure the kind of failure
   * @param detail the location (redacted, never a password), what was found and what was expected
   * @param cause the underlying failure, or null
   * @return the exception to throw
   */
  X create(DatabaseFailure failure, String detail, Throwable cause);
}
