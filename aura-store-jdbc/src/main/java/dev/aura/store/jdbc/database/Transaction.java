package dev.aura.store.jdbc.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The transaction of one unit of work, bound to its thread by {@link SqlDatabase}: the connection every
 * call of the unit runs on, the first failure of a call inside it (which forbids the commit, even if the
 * body caught it), the savepoints of nested units and the actions to run after the commit.
 */
final class Transaction<X extends Exception> {
  private final SqlDatabase<X> db;
  private final Connection connection;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private Exception failure;
  private SQLException sqlFailure;
  private int depth;

  Transaction(SqlDatabase<X> db, Connection connection) {
    this.db = db;
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /** Runs one read or write of the unit; a failure is remembered, so the unit cannot commit. */
  <T> T call(String what, SqlDatabase.Work<T, X> work) throws X {
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw remember(what, e);
    } catch (Exception e) {
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
  }

  private X remember(String what, SQLException e) {
    X mapped = db.failure(what, e);
    if (failure == null) {
      failure = mapped;
      sqlFailure = e;
    }
    return mapped;
  }

  /** Throws the first failure of a call inside the unit, if there was one. */
  @SuppressWarnings("unchecked") // failure is only ever an X or an unchecked exception
  void throwIfFailed() throws X {
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure != null) {
      throw (X) failure;
    }
  }

  /** @return whether the unit failed because the database asked for a retry (deadlock, serialization) */
  boolean failedRetryably() {
    return sqlFailure != null && SqlDatabase.isRetryable(sqlFailure);
  }

  /** Runs a unit inside this one, in a savepoint: its failure undoes only what it wrote. */
  <T, E extends Exception> T nested(String what, SqlDatabase.Unit<T, E> body) throws X, E {
    String savepoint = "aura_unit_" + (++depth);
    Exception failedBefore = failure;
    boolean released = false;
    try {
      execute(what, "SAVEPOINT " + savepoint);
      T result = body.run();
      if (failure != failedBefore) {
        throwIfFailed();
      }
      execute(what, "RELEASE SAVEPOINT " + savepoint);
      released = true;
      return result;
    } finally {
      depth--;
      if (!released) {
        try (Statement s = connection.createStatement()) {
          s.execute("ROLLBACK TO SAVEPOINT " + savepoint);
          s.execute("RELEASE SAVEPOINT " + savepoint);
          failure = failedBefore;
        } catch (SQLException e) {
          remember(what, e); // the transaction is in an unknown state: the outer unit must not commit
        }
      }
    }
  }

  private void execute(String what, String sql) throws X {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw remember(what, e);
    }
  }

  void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  void runAfterCommit() {
    afterCommit.forEach(Runnable::run);
  }

  /** Rolls back (when asked) and gives the connection back, dropping it if the rollback failed. */
  void release(boolean rollBack) {
    boolean discard = false;
    if (rollBack) {
      try {
        db.dialect().rollback(connection);
      } catch (SQLException e) {
        discard = true;
      }
    }
    db.release(connection, discard);
  }
}
