package dev.aura.store.jdbc.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite group commit (see {@link SqlDatabase#inUnit}). Units take the writer lock in turn and run on the
 * batch's connection inside one open SQLite transaction ({@code BEGIN IMMEDIATE}), each in its own
 * savepoint. A unit that finds nobody queued behind it, or a full or old batch, commits the batch (one
 * fsync) while holding the lock; the other units of the batch wait for that commit outside the lock, and the
 * units that queue up during the fsync form the next batch. A failed unit rolls back to its savepoint and returns its failure at once;
 * a failed commit (or a savepoint SQLite could not roll back to) fails every unit of the batch.
 */
final class GroupCommit<X extends Exception> {
  /** At most this many units share one commit. */
  static final int MAX_UNITS = 64;
  /** A batch commits once this long has passed since its first unit began, even with units queued. */
  static final long MAX_BATCH_MILLIS = 20;

  private final SqlDatabase<X> db;
  private final ReentrantLock writer = new ReentrantLock();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong units = new AtomicLong();
  /** The open batch, guarded by {@link #writer}; null between batches. */
  private Batch<X> open;

  GroupCommit(SqlDatabase<X> db) {
    this.db = db;
  }

  private static final class Batch<X extends Exception> {
    final Connection connection;
    final long startedNanos = System.nanoTime();
    final CountDownLatch finished = new CountDownLatch(1);
    int units;
    /** Set before {@link #finished} opens when the batch did not commit. */
    volatile X failure;

    Batch(Connection connection) {
      this.connection = connection;
    }
  }

  <T, E extends Exception> T run(String what, SqlDatabase.Unit<T, E> body) throws X, E {
    Batch<X> batch;
    Transaction<X> unit;
    T result;
    writer.lock();
    try {
      db.requireOpen(what);
      batch = open != null ? open : begin(what);
      unit = new Transaction<>(db, batch.connection);
      boolean succeeded = false;
      try {
        savepoint(what, batch, "SAVEPOINT aura_unit");
        result = db.runBound(unit, body);
        savepoint(what, batch, "RELEASE SAVEPOINT aura_unit");
        succeeded = true;
        batch.units++;
      } finally {
        if (!succeeded) {
          rollBackUnit(what, batch);
        }
        if (open == batch && (!writer.hasQueuedThreads() || batch.units >= MAX_UNITS
            || System.nanoTime() - batch.startedNanos >= TimeUnit.MILLISECONDS.toNanos(MAX_BATCH_MILLIS))) {
          finish(batch, what, null);
        }
      }
    } finally {
      writer.unlock();
    }
    awaitUninterruptibly(batch.finished);
    if (batch.failure != null) {
      throw batch.failure;
    }
    unit.runAfterCommit();
    return result;
  }

  private Batch<X> begin(String what) throws X {
    Connection connection;
    try {
      connection = db.connection();
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
    try {
      db.dialect().begin(connection);
    } catch (SQLException e) {
      db.release(connection, false);
      throw db.failure(what, e);
    }
    open = new Batch<>(connection);
    return open;
  }

  private void savepoint(String what, Batch<X> batch, String sql) throws X {
    try {
      execute(batch, sql);
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
  }

  private void execute(Batch<X> batch, String sql) throws SQLException {
    try (Statement s = batch.connection.createStatement()) {
      s.execute(sql);
    }
  }

  /** Undoes a failed unit; if SQLite cannot, the whole batch is lost and fails now. */
  private void rollBackUnit(String what, Batch<X> batch) {
    try {
      execute(batch, "ROLLBACK TO SAVEPOINT aura_unit");
      execute(batch, "RELEASE SAVEPOINT aura_unit");
    } catch (SQLException e) {
      finish(batch, what, e);
    }
  }

  /** Commits the batch (or, given a failure, rolls it back), ends it and wakes its units. Holds the lock. */
  private void finish(Batch<X> batch, String what, SQLException broken) {
    open = null;
    boolean discard = false;
    SQLException failure = broken;
    if (failure == null) {
      try {
        db.dialect().commit(batch.connection);
        batches.incrementAndGet();
        units.addAndGet(batch.units);
      } catch (SQLException e) {
        failure = e;
      }
    }
    if (failure != null) {
      try {
        db.dialect().rollback(batch.connection);
      } catch (SQLException e) {
        discard = true;
      }
      batch.failure = db.failure("committing " + batch.units + " unit(s) of work with " + what
          + "; none of them was stored", failure);
    }
    db.release(batch.connection, discard);
    batch.finished.countDown();
  }

  SqlDatabase.GroupCommitStats stats() {
    return new SqlDatabase.GroupCommitStats(batches.get(), units.get());
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
