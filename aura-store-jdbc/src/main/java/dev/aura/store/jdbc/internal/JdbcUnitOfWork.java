package dev.aura.store.jdbc.internal;

import dev.aura.spi.StoreException;
import dev.aura.spi.UnitOfWork;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.SqlDatabase;

/** The {@link UnitOfWork} of one opened database: {@link SqlDatabase#inUnit} (group commit on SQLite). */
public final class JdbcUnitOfWork implements UnitOfWork {
  private final SqlDatabase<JdbcStoreException> db;

  JdbcUnitOfWork(SqlDatabase<JdbcStoreException> db) {
    this.db = db;
  }

  @Override
  @SuppressWarnings("unchecked") // work.run throws only StoreException, X or unchecked exceptions
  public <T, X extends Exception> T inTransaction(Work<T, X> work) throws StoreException, X {
    try {
      return db.inUnit("a unit of work", work::run);
    } catch (StoreException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw (X) e;
    }
  }
}
