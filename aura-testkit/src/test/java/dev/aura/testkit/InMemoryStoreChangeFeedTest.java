package dev.aura.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryStoreChangeFeedTest {
  private static final StoreChange REVOCATION_7 = new StoreChange(StoreChange.Topic.REVOCATIONS, 7);

  @Test
  void publish_reachesEverySubscriberOnTheCallingThread() {
    InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
    List<StoreChange> first = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    feed.subscribe(first::add);
    feed.subscribe(change -> threads.add(Thread.currentThread()));

    feed.publish(REVOCATION_7);

    assertThat(first).containsExactly(REVOCATION_7);
    assertThat(threads).containsExactly(Thread.currentThread());
    assertThat(feed.subscriberCount()).isEqualTo(2);
  }

  @Test
  void close_stopsDeliveryAndIsIdempotent() {
    InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
    List<StoreChange> closed = new CopyOnWriteArrayList<>();
    List<StoreChange> open = new CopyOnWriteArrayList<>();
    StoreChangeFeed.Subscription subscription = feed.subscribe(closed::add);
    feed.subscribe(open::add);

    subscription.close();
    subscription.close();
    feed.publish(REVOCATION_7);

    assertThat(closed).isEmpty();
    assertThat(open).containsExactly(REVOCATION_7);
    assertThat(feed.subscriberCount()).isEqualTo(1);
  }

  @Test
  void publish_toAListenerThatThrows_stillReachesTheOthersAndKeepsTheFailure() {
    InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
    List<StoreChange> heard = new CopyOnWriteArrayList<>();
    feed.subscribe(change -> {
      throw new IllegalStateException("listener bug");
    });
    feed.subscribe(heard::add);

    feed.publish(REVOCATION_7);

    assertThat(heard).containsExactly(REVOCATION_7);
    assertThat(feed.listenerFailures()).singleElement()
        .satisfies(e -> assertThat(e).hasMessage("listener bug"));
  }

  @Test
  void listenerFailures_withWellBehavedListeners_isEmpty() {
    InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
    feed.subscribe(change -> { });

    feed.publish(REVOCATION_7);

    assertThat(feed.listenerFailures()).isEmpty();
  }
}
