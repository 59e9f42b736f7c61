package dev.aura.store.jdbc;

import dev.aura.spi.RefreshCredentialStore;
import dev.aura.testkit.contract.RefreshCredentialStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RefreshCredentialStore} contract, unchanged, on a fresh schema of the test PostgreSQL ({@value TestDatabases#POSTGRES_ENV}). */
class PostgresRefreshCredentialStoreContractTest extends RefreshCredentialStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.postgres();

  @Override
  protected RefreshCredentialStore newStore() throws Exception {
    return backend.open(dir).refreshCredentialStore();
  }

  @Override
  protected void closeStore(RefreshCredentialStore store) throws Exception {
    backend.close();
  }
}
