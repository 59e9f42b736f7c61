package dev.aura.store.jdbc;

import dev.aura.spi.AuditLog;
import dev.aura.testkit.contract.AuditLogContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link AuditLog} contract, unchanged, on a fresh schema of the test PostgreSQL ({@value TestDatabases#POSTGRES_ENV}). */
class PostgresAuditLogContractTest extends AuditLogContractTest {
  @TempDir Path dir;
  private final ContractBackend backend = ContractBackend.postgres();

  @Override
  protected AuditLog newStore() throws Exception {
    return backend.open(dir).auditLog();
  }

  @Override
  protected void closeStore(AuditLog store) throws Exception {
    backend.close();
  }
}
