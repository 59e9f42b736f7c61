package dev.aura.spi;

import java.util.List;
import java.util.Optional;

/**
 * Persists registered peers.
 *
 * <p><b>Thread safety:</b> all methods may be called concurrently; {@link #save} is atomic per peer (last
 * writer wins). <b>Nulls:</b> never returns null.
 */
public interface PeerStore {
  /**
   * Inserts or replaces a peer, by id.
   *
   * @throws StoreException if the store failed
   */
  void save(PeerRecord peer) throws StoreException;

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
}
