package dev.aura.testkit;

import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.StoreChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link RevocationStore} in memory. Thread-safe; {@link #append} assigns distinct, gap-free versions
 * starting at 1, also under concurrent appends. Given a feed, it publishes
 * {@code StoreChange(REVOCATIONS, version)} after each append.
 *
 * <pre>{@code
 * InMemoryRevocationStore store = new InMemoryRevocationStore(feed);
 * RevocationEntry e = store.append(new RevocationChange(REVOKE, RevocationTarget.jti(jti), "admin", now, null));
 * store.since(0, 100);   // [e]
 * }</pre>
 *
 * <p>Never throws {@link dev.aura.spi.StoreException}. Nothing survives the object.
 */
public final class InMemoryRevocationStore implements RevocationStore {
  private final List<RevocationEntry> entries = new ArrayList<>();
  private final InMemoryStoreChangeFeed feed;
  private final InMemoryUnitOfWork units;

  /** An empty store that publishes no changes, with a unit of work of its own. */
  public InMemoryRevocationStore() {
    this.feed = null;
    this.units = new InMemoryUnitOfWork();
  }

  /**
   * An empty store that publishes each append to {@code feed}.
   *
   * @param feed where {@code StoreChange(REVOCATIONS, version)} is published after each append
   */
  public InMemoryRevocationStore(InMemoryStoreChangeFeed feed) {
    this(feed, new InMemoryUnitOfWork());
  }

  InMemoryRevocationStore(InMemoryStoreChangeFeed feed, InMemoryUnitOfWork units) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.units = units;
  }

  /** {@inheritDoc} */
  @Override
  public RevocationEntry append(RevocationChange change) {
    Objects.requireNonNull(change, "change");
    RevocationEntry entry = units.locked(() -> {
      synchronized (entries) {
        RevocationEntry appended = new RevocationEntry(entries.size() + 1L, change);
        entries.add(appended);
        units.undo(() -> {
          synchronized (entries) {
            entries.remove(appended);
          }
        });
        return appended;
      }
    });
    if (feed != null) {
      units.afterCommit(() -> feed.publish(new StoreChange(StoreChange.Topic.REVOCATIONS, entry.version())));
    }
    return entry;
  }

  /** {@inheritDoc} */
  @Override
  public List<RevocationEntry> since(long afterVersion, int limit) {
    if (afterVersion < 0) {
      throw new IllegalArgumentException("afterVersion must be 0 or more, got " + afterVersion);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return units.locked(() -> {
      synchronized (entries) {
        // Version v is at index v - 1.
        if (afterVersion >= entries.size()) {
          return List.<RevocationEntry>of();
        }
        int from = (int) afterVersion;
        return List.copyOf(entries.subList(from, (int) Math.min(entries.size(), (long) from + limit)));
      }
    });
  }

  /** {@inheritDoc} */
  @Override
  public long latestVersion() {
    return units.locked(() -> {
      synchronized (entries) {
        return (long) entries.size();
      }
    });
  }
}
