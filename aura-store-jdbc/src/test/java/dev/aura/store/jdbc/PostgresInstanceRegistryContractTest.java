package dev.aura.store.jdbc;

import dev.aura.spi.InstanceRegistry;
import dev.aura.testkit.contract.InstanceRegistryContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link InstanceRegistry} contract, unchanged, on a fresh schema of the test PostgreSQL ({@value TestDatabases#POSTGRES_ENV}). */
class PostgresInstanceRegistryContractTest extends InstanceRegistryContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.postgres();

  @Override
  protected InstanceRegistry newStore() throws Exception {
    return backend.open(dir).instanceRegistry();
  }

  @Override
  protected void closeStore(InstanceRegistry store) throws Exception {
    backend.close();
  }
}
