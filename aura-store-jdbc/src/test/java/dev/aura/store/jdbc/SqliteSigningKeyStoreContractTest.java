package dev.aura.store.jdbc;

import dev.aura.spi.SigningKeyStore;
import dev.aura.testkit.contract.SigningKeyStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link SigningKeyStore} contract, unchanged, on an SQLite file in a temp directory. */
class SqliteSigningKeyStoreContractTest extends SigningKeyStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected SigningKeyStore newStore() throws Exception {
    return backend.open(dir).signingKeyStore();
  }

  @Override
  protected void closeStore(SigningKeyStore store) throws Exception {
    backend.close();
  }
}
