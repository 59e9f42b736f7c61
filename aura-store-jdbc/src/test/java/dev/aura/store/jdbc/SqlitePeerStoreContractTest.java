package dev.aura.store.jdbc;

import dev.aura.spi.PeerStore;
import dev.aura.testkit.contract.PeerStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link PeerStore} contract, unchanged, on an SQLite file in a temp directory. */
class SqlitePeerStoreContractTest extends PeerStoreContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected PeerStore newStore() throws Exception {
    return backend.open(dir).peerStore();
  }

  @Override
  protected void closeStore(PeerStore store) throws Exception {
    backend.close();
  }
}
