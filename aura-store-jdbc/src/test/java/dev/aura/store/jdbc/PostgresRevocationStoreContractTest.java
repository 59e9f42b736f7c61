package dev.aura.store.jdbc;

import dev.aura.spi.RevocationStore;
import dev.aura.testkit.contract.RevocationStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RevocationStore} contract, unchanged, on a fresh schema of the test PostgreSQL ({@value TestDatabases#POSTGRES_ENV}). */
class PostgresRevocationStoreContractTest extends RevocationStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.postgres();

  @Override
  protected RevocationStore newStore() throws Exception {
    return backend.open(dir).revocationStore();
  }

  @Override
  protected void closeStore(RevocationStore store) throws Exception {
    backend.close();
  }
}
