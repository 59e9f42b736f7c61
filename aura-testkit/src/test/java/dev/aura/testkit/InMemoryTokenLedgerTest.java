package dev.aura.testkit;

import dev.aura.spi.TokenLedger;
import dev.aura.testkit.contract.TokenLedgerContractTest;

class InMemoryTokenLedgerTest extends TokenLedgerContractTest {
  @Override
  protected TokenLedger newStore() {
    return new InMemoryTokenLedger();
  }
}
