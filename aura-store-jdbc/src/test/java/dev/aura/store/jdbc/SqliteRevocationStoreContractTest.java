package dev.aura.store.jdbc;

import dev.aura.spi.RevocationStore;
import dev.aura.testkit.contract.RevocationStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RevocationStore} contract, unchanged, on an SQLite file in a temp directory. */
class SqliteRevocationStoreContractTest extends RevocationStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected RevocationStore newStore() throws Exception {
    return backend.open(dir).revocationStore();
  }

  @Override
  protected void closeStore(RevocationStore store) throws Exception {
    backend.close();
  }
}
