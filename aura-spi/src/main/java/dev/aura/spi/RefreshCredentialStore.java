package dev.aura.spi;

import java.util.Optional;

/**
 * Persists each peer's current refresh credential (a hash, never the credential).
 *
 * <p><b>Atomicity.</b> {@link #rotate} replaces a credential only if it is still current, atomically: of two
 * concurrent rotations of the same credential exactly one succeeds, so a stolen copy cannot fork the chain.
 * <b>Thread safety:</b> all methods may be called concurrently. <b>Nulls:</b> never returns null.
 */
public interface RefreshCredentialStore {
  /**
   * Stores the first credential of a peer (at join), replacing any the peer had.
   *
   * @throws StoreException if the store failed
   */
  void issue(RefreshCredentialRecord record) throws StoreException;

  /**
   * @return the current credential with that id, or empty if it was never issued or was rotated out
   * @throws StoreException if the store failed
   */
  Optional<RefreshCredentialRecord> find(String credentialId) throws StoreException;

  /**
   * Replaces the credential {@code currentId} with {@code next} if {@code currentId} is still the peer's
   * current credential.
   *
   * @return {@code true} if replaced; {@code false} if {@code currentId} was not current (nothing changed)
   * @throws StoreException if the store failed; then nothing changed
   */
  boolean rotate(String currentId, RefreshCredentialRecord next) throws StoreException;
}
