package dev.aura.store.jdbc;

import dev.aura.spi.AuditLog;
import dev.aura.testkit.contract.AuditLogContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link AuditLog} contract, unchanged, on an SQLite file in a temp directory. */
class SqliteAuditLogContractTest extends AuditLogContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.sqlite();

  @Override
  protected AuditLog newStore() throws Exception {
    return backend.open(dir).auditLog();
  }

  @Override
  protected void closeStore(AuditLog store) throws Exception {
    backend.close();
  }
}
