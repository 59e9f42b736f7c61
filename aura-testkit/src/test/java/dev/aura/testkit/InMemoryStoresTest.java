package dev.aura.testkit;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.jti;
import static dev.aura.testkit.contract.ContractFixtures.peer;
import static dev.aura.testkit.contract.ContractFixtures.peerId;
import static dev.aura.testkit.contract.ContractFixtures.primaryKey;
import static dev.aura.testkit.contract.ContractFixtures.revoke;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.AuditChain;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChange.Topic;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryStoresTest {
  @Test
  void create_givesEmptyStores() throws Exception {
    InMemoryStores stores = InMemoryStores.create();

    assertThat(stores.tokenLedger().find(jti())).isEmpty();
    assertThat(stores.revocationStore().latestVersion()).isZero();
    assertThat(stores.auditLog().readChain(1, 10)).isEmpty();
    assertThat(AuditChain.verify(stores.auditLog()).isIntact()).isTrue();
    assertThat(stores.signingKeyStore().loadAll()).isEmpty();
    assertThat(stores.peerStore().list()).isEmpty();
    assertThat(stores.refreshCredentialStore().find("rc_none")).isEmpty();
    assertThat(stores.changeFeed().subscriberCount()).isZero();
  }

  @Test
  void create_twice_givesIndependentSets() {
    InMemoryStores one = InMemoryStores.create();
    InMemoryStores two = InMemoryStores.create();

    one.revocationStore().append(revoke(RevocationTarget.jti(jti()), T0));

    assertThat(two.revocationStore().latestVersion()).isZero();
    assertThat(two.changeFeed()).isNotSameAs(one.changeFeed());
  }

  @Test
  void sharedStores_publishTheirChangesToTheSharedFeed() {
    InMemoryStores stores = InMemoryStores.create();
    List<StoreChange> heard = new CopyOnWriteArrayList<>();
    stores.changeFeed().subscribe(heard::add);

    stores.revocationStore().append(revoke(RevocationTarget.jti(jti()), T0));
    stores.signingKeyStore().saveAll(List.of(primaryKey("k-1", T0)));
    stores.peerStore().save(peer(peerId(), T0));
    stores.signingKeyStore().saveAll(List.of());

    assertThat(heard).containsExactly(new StoreChange(Topic.REVOCATIONS, 1),
        new StoreChange(Topic.SIGNING_KEYS, 0), new StoreChange(Topic.PEERS, 0));
  }
}
