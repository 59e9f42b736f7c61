package dev.aura.store.jdbc.internal;

import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.store.jdbc.JdbcStoreOptions;
import dev.aura.store.jdbc.database.DatabaseFailure;
import dev.aura.store.jdbc.database.FailureFactory;
import dev.aura.store.jdbc.database.PoolSettings;
import dev.aura.store.jdbc.database.SchemaDefinition;
import java.util.List;

/**
 * The stores' schema for {@link dev.aura.store.jdbc.database.SqlDatabase}: history table
 * {@code aura_schema_history}, the files of {@code src/main/resources/aura-migrations/}, and failures as
 * {@link JdbcStoreException}s. A database with any table but the history table is foreign.
 */
final class StoreSchema {
  static final SchemaDefinition DEFINITION = SchemaDefinition.builder()
      .historyTable("aura_schema_history")
      .migrations(StoreSchema.class, "aura-migrations/", List.of("V1__initial_schema.sql", "V2__peer_workspaces.sql",
          "V4__mothership_identity.sql", "V5__mothership_instances.sql", "V6__previous_certificates.sql"))
      .reserved(3)
      .describedAs("an Aura store", "schema", "database file")
      .warnIfFileShared("token hashes and the audit log")
      .build();

  static final FailureFactory<JdbcStoreException> FAILURES =
      (failure, detail, cause) -> new JdbcStoreException(reason(failure), detail, cause);

  private StoreSchema() {}

  static PoolSettings poolSettings(JdbcStoreOptions options) {
    return new PoolSettings("aura-store-", "aura-store-jdbc", options.connectTimeout(), options.busyTimeout(),
        options.maxPoolSize());
  }

  private static Reason reason(DatabaseFailure failure) {
    return switch (failure) {
      case UNSUPPORTED_URL -> Reason.UNSUPPORTED_URL;
      case UNREACHABLE -> Reason.UNREACHABLE;
      case NOT_A_DATABASE -> Reason.NOT_A_DATABASE;
      case FOREIGN_DATABASE -> Reason.FOREIGN_DATABASE;
      case NEW_SCHEMA -> Reason.NEWER_SCHEMA;
      case MIGRATION_FAILED -> Reason.MIGRATION_FAILED;
      case CORRUPTED, OPERATION_FAILED -> Reason.OPERATION_FAILED;
      case CLOSED -> Reason.CLOSED;
    };
  }
}
