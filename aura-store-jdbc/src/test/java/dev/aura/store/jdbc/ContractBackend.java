package dev.aura.store.jdbc;

import dev.aura.testkit.contract.StoreSet;
import java.nio.file.Path;

/**
 * Gives each contract test a fresh, empty store: a new SQLite file in the test's temp directory, or a new
 * schema on the test PostgreSQL (skipped, with a message, when none is configured), and removes it after.
 */
final class ContractBackend {
  private final boolean postgres;
  private Backend backend;
  private JdbcStores stores;

  private ContractBackend(boolean postgres) {
    this.postgres = postgres;
  }

  static ContractBackend sqlite() {
    return new ContractBackend(false);
  }

  static ContractBackend postgres() {
    return new ContractBackend(true);
  }

  /** Opens the stores on a fresh database (one per test). */
  JdbcStores open(Path dir) throws Exception {
    backend = postgres ? Backend.postgres(dir) : Backend.sqlite(dir);
    stores = backend.open();
    return stores;
  }

  /** @return every store of {@code stores} with its unit of work, for the unit-of-work contract */
  static StoreSet storeSet(JdbcStores stores) {
    return new StoreSet(stores.unitOfWork(), stores.tokenLedger(), stores.peerStore(),
        stores.refreshCredentialStore(), stores.auditLog(), stores.revocationStore(), stores.signingKeyStore(),
        stores.changeFeed(), null);
  }

  /** Closes the stores and drops the PostgreSQL schema. */
  void close() throws Exception {
    try {
      if (stores != null) {
        stores.close();
      }
    } finally {
      if (backend != null) {
        backend.close();
      }
    }
  }
}
