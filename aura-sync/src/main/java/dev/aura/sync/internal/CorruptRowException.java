package dev.aura.sync.internal;

/**
 * A row of the peer's sync.db whose columns do not decode: a value of another type than the schema's, or one
 * its value type refuses (a bad path, hash, peer id, instant, op). {@code PeerSyncStore} turns it into a
 * {@code SyncStoreException} with reason {@code CORRUPT} naming the file; the row and every other row are left
 * as they are. The message names the table, the row and the column, never file content.
 */
public final class CorruptRowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CorruptRowException(String message) {
    super(message, null, false, false);
  }
}
