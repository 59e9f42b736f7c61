package dev.aura.testkit;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.jti;
import static dev.aura.testkit.contract.ContractFixtures.revoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.aura.spi.RevocationStore;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.testkit.contract.RevocationStoreContractTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryRevocationStoreTest extends RevocationStoreContractTest {
  @Override
  protected RevocationStore newStore() {
    return new InMemoryRevocationStore();
  }

  @Test
  void append_withAFeed_publishesEachNewVersionBeforeReturning() {
    InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
    InMemoryRevocationStore store = new InMemoryRevocationStore(feed);
    List<StoreChange> heard = new CopyOnWriteArrayList<>();
    feed.subscribe(heard::add);

    store.append(revoke(RevocationTarget.jti(jti()), T0));
    assertThat(heard).containsExactly(new StoreChange(StoreChange.Topic.REVOCATIONS, 1));
    store.append(revoke(RevocationTarget.subject("carol@contractor.com"), T0));

    assertThat(heard).containsExactly(new StoreChange(StoreChange.Topic.REVOCATIONS, 1),
        new StoreChange(StoreChange.Topic.REVOCATIONS, 2));
  }

  @Test
  void append_afterTheSubscriptionIsClosed_isNotHeard() {
    InMemoryStoreChangeFeed feed = new InMemoryStoreChangeFeed();
    InMemoryRevocationStore store = new InMemoryRevocationStore(feed);
    List<StoreChange> heard = new CopyOnWriteArrayList<>();
    StoreChangeFeed.Subscription subscription = feed.subscribe(heard::add);
    store.append(revoke(RevocationTarget.jti(jti()), T0));

    subscription.close();
    store.append(revoke(RevocationTarget.jti(jti()), T0));

    assertThat(heard).containsExactly(new StoreChange(StoreChange.Topic.REVOCATIONS, 1));
  }

  @Test
  void since_withLimitBelowOneOrNegativeVersion_isAProgrammerError() {
    InMemoryRevocationStore store = new InMemoryRevocationStore();

    assertThatIllegalArgumentException().isThrownBy(() -> store.since(0, 0))
        .withMessage("limit must be at least 1, got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> store.since(-1, 10))
        .withMessage("afterVersion must be 0 or more, got -1");
  }
}
