package dev.aura.testkit;

import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.PeerStore;
import dev.aura.spi.StoreChange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link PeerStore} in memory. Thread-safe; {@link #save} replaces by id (last writer wins), {@link #create}
 * inserts once per id (first writer wins) and {@link #list} is ordered by id. Records are immutable, so every field, workspaces included, is kept as saved. Given a feed, it publishes {@code StoreChange(PEERS, 0)} after each save.
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
  private final InMemoryUnitOfWork units;

  /** An empty store that publishes no changes, with a unit of work of its own. */
  public InMemoryPeerStore() {
    this.feed = null;
    this.units = new InMemoryUnitOfWork();
  }

  /**
   * An empty store that publishes each save to {@code feed}.
   *
   * @param feed where {@code StoreChange(PEERS, 0)} is published after each save
   */
  public InMemoryPeerStore(InMemoryStoreChangeFeed feed) {
    this(feed, new InMemoryUnitOfWork());
  }

  InMemoryPeerStore(InMemoryStoreChangeFeed feed, InMemoryUnitOfWork units) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.units = units;
  }

  /** {@inheritDoc} */
  @Override
  public void save(PeerRecord peer) {
    Objects.requireNonNull(peer, "peer");
    units.locked(() -> put(peer));
    if (feed != null) {
      units.afterCommit(() -> feed.publish(new StoreChange(StoreChange.Topic.PEERS, 0)));
    }
  }

  /** Inserts under the unit's lock, so of racing creates of one id exactly one wins. */
  @Override
  public boolean create(PeerRecord peer) {
    Objects.requireNonNull(peer, "peer");
    boolean created = units.locked(() -> {
      if (byId.containsKey(peer.id().value())) {
        return false;
      }
      put(peer);
      return true;
    });
    if (created && feed != null) {
      units.afterCommit(() -> feed.publish(new StoreChange(StoreChange.Topic.PEERS, 0)));
    }
    return created;
  }

  /** Raises {@code lastSeen} in place, publishing nothing. */
  @Override
  public void recordSeen(PeerId id, Instant seenAt) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(seenAt, "seenAt");
    units.locked(() -> {
      PeerRecord stored = byId.get(id.value());
      return stored != null && stored.lastSeen().isBefore(seenAt) ? put(stored.seenAt(seenAt)) : null;
    });
  }

  private PeerRecord put(PeerRecord peer) {
    PeerRecord previous = byId.put(peer.id().value(), peer);
    units.undo(() -> {
      if (previous == null) {
        byId.remove(peer.id().value());
      } else {
        byId.put(peer.id().value(), previous);
      }
    });
    return previous;
  }

  /** {@inheritDoc} */
  @Override
  public Optional<PeerRecord> find(PeerId id) {
    Objects.requireNonNull(id, "id");
    return units.locked(() -> Optional.ofNullable(byId.get(id.value())));
  }

  /** {@inheritDoc} */
  @Override
  public List<PeerRecord> list() {
    return units.locked(() -> List.copyOf(byId.values()));
  }
}
