package dev.aura.testkit;

import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.PeerStore;
import dev.aura.spi.StoreChange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link PeerStore} in memory. Thread-safe; {@link #save} replaces by id (last writer wins) and
 * {@link #list} is ordered by id. Records are immutable, so every field, workspaces included, is kept as saved. Given a feed, it publishes {@code StoreChange(PEERS, 0)} after each save.
 *
 * <pre>{@code
 * InMemoryPeerStore peers = new InMemoryPeerStore();
 * peers.save(new PeerRecord(peerId, "carol@example.com", Role.MEMBER, jti, now, now, List.of()));
 * }</pre>
 *
 * <p>Never throws {@link dev.aura.spi.StoreException}. Nothing survives the object.
 */
public final class InMemoryPeerStore implements PeerStore {
  private final ConcurrentSkipListMap<String, PeerRecord> byId = new ConcurrentSkipListMap<>();
  private final InMemoryStoreChangeFeed feed;

  /** An empty store that publishes no changes. */
  public InMemoryPeerStore() {
    this.feed = null;
  }

  /**
   * An empty store that publishes each save to {@code feed}.
   *
   * @param feed where {@code StoreChange(PEERS, 0)} is published after each save
   */
  public InMemoryPeerStore(InMemoryStoreChangeFeed feed) {
    this.feed = Objects.requireNonNull(feed, "feed");
  }

  /** {@inheritDoc} */
  @Override
  public void save(PeerRecord peer) {
    Objects.requireNonNull(peer, "peer");
    byId.put(peer.id().value(), peer);
    if (feed != null) {
      feed.publish(new StoreChange(StoreChange.Topic.PEERS, 0));
    }
  }

  /** {@inheritDoc} */
  @Override
  public Optional<PeerRecord> find(PeerId id) {
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(byId.get(id.value()));
  }

  /** {@inheritDoc} */
  @Override
  public List<PeerRecord> list() {
    return List.copyOf(byId.values());
  }
}
