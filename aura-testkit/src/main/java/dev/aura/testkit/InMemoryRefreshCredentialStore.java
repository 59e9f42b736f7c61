package dev.aura.testkit;

import dev.aura.spi.PeerId;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RefreshCredentialStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RefreshCredentialStore} in memory: one current credential per peer. Thread-safe;
 * {@link #rotate} is a compare-and-set on the peer's current credential, so of concurrent rotations of the
 * same credential exactly one succeeds.
 *
 * <pre>{@code
 * InMemoryRefreshCredentialStore store = new InMemoryRefreshCredentialStore();
 * store.issue(first);
 * store.rotate(first.credentialId(), second);   // true; first is no longer found
 * store.rotate(first.credentialId(), third);    // false: first is not current any more
 * }</pre>
 *
 * <p>Holds hashes only, as the SPI requires. Never throws {@link dev.aura.spi.StoreException}.
 */
public final class InMemoryRefreshCredentialStore implements RefreshCredentialStore {
  private final Map<PeerId, RefreshCredentialRecord> currentByPeer = new HashMap<>();
  private final Map<String, RefreshCredentialRecord> currentById = new HashMap<>();
  private final Object lock = new Object();

  private final InMemoryUnitOfWork units;

  /** An empty store with a unit of work of its own. */
  public InMemoryRefreshCredentialStore() {
    this(new InMemoryUnitOfWork());
  }

  InMemoryRefreshCredentialStore(InMemoryUnitOfWork units) {
    this.units = units;
  }

  /** {@inheritDoc} */
  @Override
  public void issue(RefreshCredentialRecord record) {
    Objects.requireNonNull(record, "record");
    units.locked(() -> {
      synchronized (lock) {
        RefreshCredentialRecord previous = currentByPeer.put(record.peer(), record);
        if (previous != null) {
          currentById.remove(previous.credentialId());
        }
        currentById.put(record.credentialId(), record);
        units.undo(() -> restore(record, previous));
      }
      return null;
    });
  }

  /** Undoes the write that made {@code written} current in place of {@code previous} (null: none). */
  private void restore(RefreshCredentialRecord written, RefreshCredentialRecord previous) {
    synchronized (lock) {
      currentById.remove(written.credentialId());
      if (previous == null) {
        currentByPeer.remove(written.peer());
      } else {
        currentByPeer.put(previous.peer(), previous);
        currentById.put(previous.credentialId(), previous);
      }
    }
  }

  /** {@inheritDoc} */
  @Override
  public Optional<RefreshCredentialRecord> find(String credentialId) {
    Objects.requireNonNull(credentialId, "credentialId");
    return units.locked(() -> {
      synchronized (lock) {
        return Optional.ofNullable(currentById.get(credentialId));
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code next} belongs to another peer than the current credential
   */
  @Override
  public boolean rotate(String currentId, RefreshCredentialRecord next) {
    Objects.requireNonNull(currentId, "currentId");
    Objects.requireNonNull(next, "next");
    return units.locked(() -> rotateLocked(currentId, next));
  }

  private boolean rotateLocked(String currentId, RefreshCredentialRecord next) {
    synchronized (lock) {
      RefreshCredentialRecord current = currentById.get(currentId);
      if (current == null) {
        return false;
      }
      if (!current.peer().equals(next.peer())) {
        throw new IllegalArgumentException("credential " + currentId + " belongs to " + current.peer()
            + ", but its replacement names " + next.peer());
      }
      currentById.remove(currentId);
      currentByPeer.put(next.peer(), next);
      currentById.put(next.credentialId(), next);
      units.undo(() -> restore(next, current));
      return true;
    }
  }
}
