package dev.aura.store.jdbc;

import dev.aura.spi.InstanceRegistry;
import dev.aura.testkit.contract.InstanceRegistryContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link InstanceRegistry} contract, unchanged, on an SQLite file in a temp directory. */
class SqliteInstanceRegistryContractTest extends InstanceRegistryContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected InstanceRegistry newStore() throws Exception {
    return backend.open(dir).instanceRegistry();
  }

  @Override
  protected void closeStore(InstanceRegistry store) throws Exception {
    backend.close();
  }
}
