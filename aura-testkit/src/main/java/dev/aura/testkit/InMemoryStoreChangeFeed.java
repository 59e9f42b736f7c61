package dev.aura.testkit;

import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-process {@link StoreChangeFeed}: the in-memory stores {@link #publish} their changes to it and every
 * current subscriber hears them.
 *
 * <pre>{@code
 * InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
 * InMemoryRevocationStore revocations = new InMemoryRevocationStore(feed);
 * List<StoreChange> seen = new CopyOnWriteArrayList<>();
 * try (StoreChangeFeed.Subscription s = feed.subscribe(seen::add)) {
 *   revocations.append(change);   // seen now holds StoreChange(REVOCATIONS, 1)
 * }
 * }</pre>
 *
 * <p>Delivery is synchronous: a listener runs on the thread that published, before {@code publish} (and so
 * the store method that published) returns, which keeps tests deterministic. Notices are not coalesced. A
 * listener that throws does not stop delivery to the others nor fail the store write; what it threw is kept
 * in {@link #listenerFailures()} so a test can assert there was none. Thread-safe.
 */
public final class InMemoryStoreChangeFeed implements StoreChangeFeed {
  private final List<Registration> listeners = new CopyOnWriteArrayList<>();
  private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();

  /** An empty feed with no subscribers. */
  public InMemoryStoreChangeFeed() {}

  /**
   * Registers a listener; it hears every change published after this returns.
   *
   * @param listener must not block
   * @return a handle whose {@code close()} stops delivery to this listener (idempotent)
   */
  @Override
  public Subscription subscribe(Consumer<StoreChange> listener) {
    Registration registration = new Registration(Objects.requireNonNull(listener, "listener"));
    listeners.add(registration);
    return registration;
  }

  /**
   * Delivers a change to every current subscriber, on the calling thread.
   *
   * @param change what changed
   */
  public void publish(StoreChange change) {
    Objects.requireNonNull(change, "change");
    for (Registration registration : listeners) {
      try {
        registration.listener.accept(change);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
  }

  /** @return how many subscriptions are open */
  public int subscriberCount() {
    return listeners.size();
  }

  /** @return what listeners threw so far, oldest first; empty if none threw */
  public List<RuntimeException> listenerFailures() {
    return List.copyOf(failures);
  }

  private final class Registration implements Subscription {
    private final Consumer<StoreChange> listener;

    Registration(Consumer<StoreChange> listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      listeners.remove(this);
    }
  }
}
