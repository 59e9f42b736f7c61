package dev.aura.store.jdbc;

import dev.aura.spi.TokenLedger;
import dev.aura.testkit.contract.TokenLedgerContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link TokenLedger} contract, unchanged, on an SQLite file in a temp directory. */
class SqliteTokenLedgerContractTest extends TokenLedgerContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected TokenLedger newStore() throws Exception {
    return backend.open(dir).tokenLedger();
  }

  @Override
  protected void closeStore(TokenLedger store) throws Exception {
    backend.close();
  }
}
