package dev.aura.spi;

import java.util.List;

/**
 * Persists a signing key ring.
 *
 * <p><b>Atomicity.</b> {@link #saveAll} writes every given entry in one transaction, so a rotation (new
 * primary plus the old one retired) is never half-applied. <b>Thread safety:</b> all methods may be called
 * concurrently. <b>Nulls:</b> the list is never null. <b>Secrets:</b> private keys must be protected at rest
 * and never logged.
 */
public interface SigningKeyStore {
  /**
   * @return every stored key, in creation order; empty for a new store
   * @throws StoreException if the store failed
   */
  List<StoredSigningKey> loadAll() throws StoreException;

  /**
   * Inserts or replaces (by {@code kid}) every given key, atomically.
   *
   * @throws StoreException if the store failed; then nothing changed
   */
  void saveAll(List<StoredSigningKey> keys) throws StoreException;
}
