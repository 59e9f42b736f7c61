package dev.aura.spi;

import java.util.List;

/**
 * The running instances of a Mothership that share one store: each instance {@link #heartbeat reports}
 * itself every few seconds, and anyone can {@link #list} them to tell peers where to fail over and operators
 * which instance stopped reporting.
 *
 * <p><b>Contract.</b> {@link #heartbeat} inserts or replaces the row of its instance id; {@link #list} returns
 * every row in start order (then by id), empty not null; {@link #remove} deletes one row and is a no-op for
 * an unknown id. Heartbeats are standalone writes, never part of a {@link UnitOfWork}. <b>Thread safety:</b>
 * all methods may be called concurrently, also from several processes on a shared store.
 */
public interface InstanceRegistry {
  /**
   * Records or refreshes an instance.
   *
   * @throws StoreException if the store failed
   */
  void heartbeat(InstanceRecord record) throws StoreException;

  /**
   * @return every recorded instance, oldest start first, ties by instance id
   * @throws StoreException if the store failed
   */
  List<InstanceRecord> list() throws StoreException;

  /**
   * Removes an instance (at a clean shutdown).
   *
   * @throws StoreException if the store failed
   */
  void remove(String instanceId) throws StoreException;
}
