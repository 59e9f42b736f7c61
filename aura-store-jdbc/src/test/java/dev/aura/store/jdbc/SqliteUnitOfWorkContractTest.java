package dev.aura.store.jdbc;

import dev.aura.testkit.contract.StoreSet;
import dev.aura.testkit.contract.UnitOfWorkContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The unit-of-work contract, unchanged, on an SQLite file in a temp directory (group commit). */
class SqliteUnitOfWorkContractTest extends UnitOfWorkContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected StoreSet newStore() throws Exception {
    return ContractBackend.storeSet(backend.open(dir));
  }

  @Override
  protected void closeStore(StoreSet store) throws Exception {
    backend.close();
  }
}
