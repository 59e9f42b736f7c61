package dev.aura.spi;

import java.util.List;

/**
 * Persists the revocation list as an append-only sequence of versioned changes.
 *
 * <p><b>Atomicity.</b> {@link #append} assigns the next version and stores the change in one atomic step:
 * concurrent appends, from threads or from processes sharing the database, get distinct, gap-free versions.
 * A change is durable before {@code append} returns, so a revocation is never acknowledged and then lost.
 * <b>Thread safety:</b> all methods may be called concurrently. <b>Nulls:</b> lists are never null.
 */
public interface RevocationStore {
  /**
   * Appends a change and assigns it the next version.
   *
   * @return the stored entry with its version
   * @throws StoreException if the store failed; then nothing was stored
   */
  RevocationEntry append(RevocationChange change) throws StoreException;

  /**
   * Reads changes after a version, oldest first.
   *
   * @param afterVersion 0 for everything
   * @param limit at most this many entries, at least 1
   * @return the entries with {@code version > afterVersion}, ascending; empty if none
   * @throws StoreException if the store failed
   */
  List<RevocationEntry> since(long afterVersion, int limit) throws StoreException;

  /**
   * @return the highest version stored, 0 when the list is empty
   * @throws StoreException if the store failed
   */
  long latestVersion() throws StoreException;
}
