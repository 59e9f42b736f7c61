package dev.aura.testkit;

import dev.aura.spi.PeerStore;
import dev.aura.testkit.contract.PeerStoreContractTest;

class InMemoryPeerStoreTest extends PeerStoreContractTest {
  @Override
  protected PeerStore newStore() {
    return new InMemoryPeerStore();
  }
}
