package dev.aura.spi;

import java.util.List;

/**
 * An append-only, hash-chained audit log. Each entry carries the hash of the one before it
 * ({@link AuditChain}), so {@link AuditChain#verify(AuditLog)} detects an entry that was modified, deleted or
 * reordered.
 *
 * <p><b>Atomicity.</b> {@link #append} reads the last entry and writes the next in one atomic step, so
 * concurrent appends, also from processes sharing one database, still form a single chain. An entry is
 * durable before {@code append} returns. <b>Thread safety:</b> all methods may be called concurrently.
 * <b>Nulls:</b> lists are never null. The log never contains a token, key or credential (see
 * {@link AuditEvent}).
 */
public interface AuditLog {
  /**
   * Appends an event at the end of the chain.
   *
   * @return the stored entry with its sequence and hashes
   * @throws StoreException if the store failed; then nothing was appended
   */
  AuditEntry append(AuditEvent event) throws StoreException;

  /**
   * @return the entries matching the query, oldest first, at most {@code query.limit()}
   * @throws StoreException if the store failed
   */
  List<AuditEntry> query(AuditQuery query) throws StoreException;

  /**
   * Reads the chain in sequence order, for verification. Returns entries exactly as stored, without checking
   * them.
   *
   * @param fromSequence the first sequence wanted (1 for the start)
   * @param limit at most this many entries, at least 1
   * @return entries with {@code sequence >= fromSequence} in ascending order; empty past the end
   * @throws StoreException if the store failed
   */
  List<AuditEntry> readChain(long fromSequence, int limit) throws StoreException;
}
