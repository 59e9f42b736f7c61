package dev.aura.sync.internal;

import dev.aura.sync.EventLogException;

/** Parses the URL, inspects the database before anything is written, starts the pool and migrates. */
public final class LogOpener {
  private LogOpener() {}

  /** @return the migrated database, with a pool of up to {@code maxConnections} */
  public static LogDatabase open(String url, int maxConnections) throws EventLogException {
    LogUrl parsed = LogUrl.parse(url);
    if (parsed.dialect() == LogDialect.SQLITE) {
      LogDatabase.createSqliteFile(parsed.sqliteFile());
    }
    LogMigrations.Inspection inspection = LogMigrations.inspect(parsed);
    LogDatabase database = LogDatabase.start(parsed, maxConnections);
    try {
      LogMigrations.migrate(database, inspection);
      return database;
    } catch (EventLogException | RuntimeException e) {
      database.close();
      throw e;
    }
  }
}
