package dev.aura.testkit;

import dev.aura.spi.InstanceRegistry;
import dev.aura.testkit.contract.InstanceRegistryContractTest;

class InMemoryInstanceRegistryTest extends InstanceRegistryContractTest {
  @Override
  protected InstanceRegistry newStore() {
    return new InMemoryInstanceRegistry();
  }
}
