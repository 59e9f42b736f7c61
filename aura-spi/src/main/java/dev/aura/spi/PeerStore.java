package dev.aura.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Persists registered peers.
 *
 * <p><b>Thread safety:</b> all methods may be called concurrently; {@link #save} is atomic per peer (last
 * writer wins), {@link #create} inserts once per id (first writer wins). <b>Nulls:</b> never returns null.
 */
public interface PeerStore {
  /**
   * Inserts or replaces a peer, by id.
   *
   * @throws StoreException if the store failed
   */
  void save(PeerRecord peer) throws StoreException;

  /**
   * Inserts a new peer unless its id is taken, as a join does: of several calls racing with one id (inside
   * units of work or not), exactly one returns true, and a call racing an uncommitted insert of the id waits
   * for that unit's outcome. A false return changes nothing and publishes nothing. The default finds, then
   * saves, which is atomic only when the store runs one unit at a time; an implementation whose units run
   * concurrently must override it.
   *
   * @param peer the new peer
   * @return true if it was inserted, false if a peer with its id exists
   * @throws StoreException if the store failed
   */
  default boolean create(PeerRecord peer) throws StoreException {
    if (find(Objects.requireNonNull(peer, "peer").id()).isPresent()) {
      return false;
    }
    save(peer);
    return true;
  }

  /**
   * @return the peer, or empty
   * @throws StoreException if the store failed
   */
  Optional<PeerRecord> find(PeerId id) throws StoreException;

  /**
   * @return every peer, ordered by id; empty if none
   * @throws StoreException if the store failed
   */
  List<PeerRecord> list() throws StoreException;

  /**
   * Raises a peer's {@code lastSeen} to {@code seenAt}, keeping every other field as stored; does nothing
   * for an unknown peer or when the stored value is already as late. Publishes no change notice ({@code
   * last_seen} is bookkeeping, not a change others must hear of). The default reads and saves the peer; an
   * implementation that can update the one field in place should, so that a concurrent {@link #save} of
   * another field is never undone.
   *
   * @param peer the peer heard from
   * @param seenAt when it was heard from
   * @throws StoreException if the store failed
   */
  default void recordSeen(PeerId peer, Instant seenAt) throws StoreException {
    Optional<PeerRecord> stored = find(peer);
    if (stored.isPresent() && stored.get().lastSeen().isBefore(seenAt)) {
      save(stored.get().seenAt(seenAt));
    }
  }
}
