package dev.aura.testkit;

import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoredSigningKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SigningKeyStore} in memory. Thread-safe; {@link #saveAll} applies every key at once, so a reader
 * never sees half a rotation. {@link #loadAll} orders keys by {@code createdAt}, then {@code kid}. Given a
 * feed, it publishes {@code StoreChange(SIGNING_KEYS, 0)} after each non-empty save.
 *
 * <pre>{@code
 * InMemorySigningKeyStore keys = new InMemorySigningKeyStore();
 * keys.saveAll(List.of(newPrimary, oldPrimary.retired(now.plus(Duration.ofHours(24)))));
 * }</pre>
 *
 * <p>Private keys stay in memory as given ({@link dev.aura.spi.SecretBytes}); nothing is written anywhere.
 * Never throws {@link dev.aura.spi.StoreException}.
 */
public final class InMemorySigningKeyStore implements SigningKeyStore {
  private static final Comparator<StoredSigningKey> CREATION_ORDER =
      Comparator.comparing(StoredSigningKey::createdAt).thenComparing(StoredSigningKey::kid);

  private final Map<String, StoredSigningKey> byKid = new HashMap<>();
  private final InMemoryStoreChangeFeed feed;
  private final InMemoryUnitOfWork units;

  /** An empty store that publishes no changes, with a unit of work of its own. */
  public InMemorySigningKeyStore() {
    this.feed = null;
    this.units = new InMemoryUnitOfWork();
  }

  /**
   * An empty store that publishes each save to {@code feed}.
   *
   * @param feed where {@code StoreChange(SIGNING_KEYS, 0)} is published after each non-empty save
   */
  public InMemorySigningKeyStore(InMemoryStoreChangeFeed feed) {
    this(feed, new InMemoryUnitOfWork());
  }

  InMemorySigningKeyStore(InMemoryStoreChangeFeed feed, InMemoryUnitOfWork units) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.units = units;
  }

  /** {@inheritDoc} */
  @Override
  public List<StoredSigningKey> loadAll() {
    List<StoredSigningKey> keys = units.locked(() -> {
      synchronized (byKid) {
        return new ArrayList<>(byKid.values());
      }
    });
    keys.sort(CREATION_ORDER);
    return List.copyOf(keys);
  }

  /** {@inheritDoc} */
  @Override
  public void saveAll(List<StoredSigningKey> keys) {
    List<StoredSigningKey> copy = List.copyOf(keys); // rejects null elements before anything changes
    units.locked(() -> {
      synchronized (byKid) {
        Map<String, StoredSigningKey> previous = new HashMap<>();
        for (StoredSigningKey key : copy) {
          previous.putIfAbsent(key.kid(), byKid.put(key.kid(), key));
        }
        units.undo(() -> {
          synchronized (byKid) {
            previous.forEach((kid, old) -> {
              if (old == null) {
                byKid.remove(kid);
              } else {
                byKid.put(kid, old);
              }
            });
          }
        });
      }
      return null;
    });
    if (feed != null && !copy.isEmpty()) {
      units.afterCommit(() -> feed.publish(new StoreChange(StoreChange.Topic.SIGNING_KEYS, 0)));
    }
  }
}
