package dev.aura.testkit;

import dev.aura.spi.StoreException;
import dev.aura.spi.UnitOfWork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The {@link UnitOfWork} of a set of in-memory stores ({@link InMemoryStores#unitOfWork()}): one lock and an
 * undo log. A unit holds the set's lock from start to commit, so no other thread sees it half done (store
 * calls outside a unit take the same lock, one call at a time); every write made inside a unit records how
 * to undo itself, and a unit that throws (or in which a store call threw, even if the work caught it) is
 * undone newest first. Change-feed notices wait for the commit.
 *
 * <pre>{@code
 * InMemoryStores stores = InMemoryStores.create();
 * stores.unitOfWork().inTransaction(() -> {
 *   stores.peerStore().save(peer);
 *   stores.auditLog().append(event);
 *   throw new IllegalStateException("changed my mind");   // neither the peer nor the entry is kept
 * });
 * }</pre>
 *
 * <p>Never throws {@link StoreException} itself. Units of one set run one at a time; the work is never
 * repeated. Thread-safe.
 */
public final class InMemoryUnitOfWork implements UnitOfWork {
  private final ReentrantLock lock = new ReentrantLock();
  private final ThreadLocal<Unit> current = new ThreadLocal<>();

  /** A unit of work for stores created with it; the default constructors of the stores make their own. */
  public InMemoryUnitOfWork() {}

  /** {@inheritDoc} */
  @Override
  public <T, X extends Exception> T inTransaction(Work<T, X> work) throws StoreException, X {
    lock.lock();
    Unit outer = current.get();
    Unit unit = outer != null ? outer : new Unit();
    int undoMark = unit.undo.size();
    int publishMark = unit.afterCommit.size();
    boolean done = false;
    T result;
    RuntimeException failedBefore = unit.failed;
    try {
      current.set(unit);
      result = work.run();
      if (unit.failed != failedBefore) {
        throw unit.failed; // a store call failed and the work swallowed it: the unit must not commit
      }
      done = true;
    } finally {
      if (!done) {
        unit.rollBackTo(undoMark, publishMark);
        unit.failed = failedBefore;
      }
      if (outer == null) {
        current.remove();
      }
      lock.unlock();
    }
    if (outer == null) {
      unit.afterCommit.forEach(Runnable::run);
    }
    return result;
  }

  /** @return whether the calling thread is inside a unit of this set */
  public boolean inUnit() {
    return current.get() != null;
  }

  /** Runs one store call under the set's lock; inside a unit it simply joins it. */
  <T> T locked(Supplier<T> call) {
    lock.lock();
    try {
      return call.get();
    } catch (RuntimeException e) {
      Unit unit = current.get();
      if (unit != null) {
        unit.failed = e;
      }
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Records how to undo a write just made; outside a unit there is nothing to undo, so it is dropped. */
  void undo(Runnable undo) {
    Unit unit = current.get();
    if (unit != null) {
      unit.undo.add(undo);
    }
  }

  /** Runs {@code publication} after the unit commits, or at once outside a unit. */
  void afterCommit(Runnable publication) {
    Unit unit = current.get();
    if (unit != null) {
      unit.afterCommit.add(publication);
    } else {
      publication.run();
    }
  }

  private static final class Unit {
    final List<Runnable> undo = new ArrayList<>();
    final List<Runnable> afterCommit = new ArrayList<>();
    /** The last store call that threw inside this unit, which forbids the commit; null if none. */
    RuntimeException failed;

    void rollBackTo(int undoMark, int publishMark) {
      for (int i = undo.size() - 1; i >= undoMark; i--) {
        undo.remove(i).run();
      }
      afterCommit.subList(publishMark, afterCommit.size()).clear();
    }
  }
}
