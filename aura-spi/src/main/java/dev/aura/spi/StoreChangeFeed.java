package dev.aura.spi;

import java.util.function.Consumer;

/**
 * Tells listeners about changes made by this process or by others sharing the database (PostgreSQL
 * {@code LISTEN/NOTIFY}, in-process for an embedded store).
 *
 * <p><b>Delivery:</b> at least once after the change is durable, possibly coalesced; a listener must re-read
 * the store rather than trust the notice alone. Notices that are not stored state ({@link StoreChange.Topic#KICK},
 * {@link StoreChange.Topic#KICKED}) are delivered at most once, to the processes listening at that moment.
 * Listeners run on a thread of the feed and must not block.
 * <b>Thread safety:</b> safe for concurrent use.
 */
public interface StoreChangeFeed {
  /**
   * Registers a listener.
   *
   * @return a handle whose {@code close()} stops delivery to this listener
   */
  Subscription subscribe(Consumer<StoreChange> listener);

  /** Ends a subscription. */
  interface Subscription extends AutoCloseable {
    /** Stops delivery; idempotent. */
    @Override
    void close();
  }
}
