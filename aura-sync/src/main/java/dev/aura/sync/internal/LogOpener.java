package dev.aura.sync.internal;

import dev.aura.store.jdbc.database.DatabaseFailure;
import dev.aura.store.jdbc.database.FailureFactory;
import dev.aura.store.jdbc.database.PoolSettings;
import dev.aura.store.jdbc.database.SchemaDefinition;
import dev.aura.store.jdbc.database.SqlDatabase;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
import java.time.Duration;
import java.util.List;

/**
 * Opens the event log's database with the shared {@link SqlDatabase}: parses the URL, inspects the database
 * before anything is written, starts the pool and migrates.
 *
 * <p>The log's schema has its own history table {@code aura_sync_schema_history} and the files of
 * {@code src/main/resources/aura-sync-migrations/}. On PostgreSQL it shares a schema with the security store,
 * whose tables have other names: only {@code sync_} tables without the history table make a schema foreign,
 * and Flyway baselines at version 0 beside the other tables. On SQLite the log has a file of its own: any
 * table without the history table makes it foreign.
 */
public final class LogOpener {
  static final SchemaDefinition EVENT_LOG = SchemaDefinition.builder()
      .historyTable("aura_sync_schema_history")
      .migrations(LogOpener.class, "aura-sync-migrations/", List.of("V1__event_log.sql"))
      .describedAs("an Aura event log", "event log schema", "event log file")
      .sharesPostgresSchema("sync_")
      .build();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
  private static final FailureFactory<EventLogException> FAILURES =
      (failure, detail, cause) -> new EventLogException(reason(failure), detail, cause);

  private LogOpener() {}

  /** @return the migrated database, with a pool of up to {@code maxConnections} */
  public static SqlDatabase<EventLogException> open(String url, int maxConnections) throws EventLogException {
    return SqlDatabase.open(url, EVENT_LOG,
        new PoolSettings("aura-sync-", "aura-sync", CONNECT_TIMEOUT, BUSY_TIMEOUT, maxConnections), FAILURES);
  }

  private static Reason reason(DatabaseFailure failure) {
    return switch (failure) {
      case UNSUPPORTED_URL -> Reason.UNSUPPORTED_URL;
      case UNREACHABLE -> Reason.UNREACHABLE;
      case NOT_A_DATABASE, CORRUPTED -> Reason.CORRUPT;
      case FOREIGN_DATABASE -> Reason.FOREIGN_DATABASE;
      case NEW_SCHEMA -> Reason.NEWER_SCHEMA;
      case MIGRATION_FAILED -> Reason.MIGRATION_FAILED;
      case OPERATION_FAILED -> Reason.IO;
      case CLOSED -> Reason.CLOSED;
    };
  }
}
