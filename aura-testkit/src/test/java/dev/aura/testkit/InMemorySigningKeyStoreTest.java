package dev.aura.testkit;

import dev.aura.spi.SigningKeyStore;
import dev.aura.testkit.contract.SigningKeyStoreContractTest;

class InMemorySigningKeyStoreTest extends SigningKeyStoreContractTest {
  @Override
  protected SigningKeyStore newStore() {
    return new InMemorySigningKeyStore();
  }
}
