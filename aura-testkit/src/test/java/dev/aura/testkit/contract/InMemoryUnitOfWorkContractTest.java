package dev.aura.testkit.contract;

import dev.aura.testkit.InMemoryStores;

/** The unit-of-work contract on {@link InMemoryStores}. */
class InMemoryUnitOfWorkContractTest extends UnitOfWorkContractTest {
  @Override
  protected StoreSet newStore() {
    InMemoryStores s = InMemoryStores.create();
    return new StoreSet(s.unitOfWork(), s.tokenLedger(), s.peerStore(), s.refreshCredentialStore(), s.auditLog(),
        s.revocationStore(), s.signingKeyStore(), s.changeFeed(), null);
  }
}
