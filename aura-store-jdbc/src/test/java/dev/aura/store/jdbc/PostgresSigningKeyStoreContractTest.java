package dev.aura.store.jdbc;

import dev.aura.spi.SigningKeyStore;
import dev.aura.testkit.contract.SigningKeyStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link SigningKeyStore} contract, unchanged, on a fresh schema of the test PostgreSQL ({@value TestDatabases#POSTGRES_ENV}). */
class PostgresSigningKeyStoreContractTest extends SigningKeyStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.postgres();

  @Override
  protected SigningKeyStore newStore() throws Exception {
    return backend.open(dir).signingKeyStore();
  }

  @Override
  protected void closeStore(SigningKeyStore store) throws Exception {
    backend.close();
  }
}
