package dev.aura.store.jdbc;

import dev.aura.spi.RefreshCredentialStore;
import dev.aura.testkit.contract.RefreshCredentialStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RefreshCredentialStore} contract, unchanged, on an SQLite file in a temp directory. */
class SqliteRefreshCredentialStoreContractTest extends RefreshCredentialStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected RefreshCredentialStore newStore() throws Exception {
    return backend.open(dir).refreshCredentialStore();
  }

  @Override
  protected void closeStore(RefreshCredentialStore store) throws Exception {
    backend.close();
  }
}
