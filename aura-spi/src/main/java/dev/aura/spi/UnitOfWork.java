package dev.aura.spi;

/**
 * Runs several store calls as one transaction: everything the work writes commits together, or nothing of
 * it is kept. An operation that writes several stores (a join: consume the use, save the peer, issue the
 * refresh credential, audit {@code token_used}; a refresh rotation; a revocation with its audit entry; a key
 * rotation with its audit entry) runs in one unit, so a crash or a failure between two of its writes cannot
 * leave half of it behind.
 *
 * <pre>{@code
 * Joined joined = stores.unitOfWork().inTransaction(() -> {
 *   VerifiedJoinToken verified = validator.admit(token);       // consumes one use
 *   peers.save(record);
 *   credentials.issue(...);
 *   audit.append(AuditEvent.of(AuditEventType.TOKEN_USED, now, verified.jti().value()));
 *   return new Joined(record, credential);
 * });                                                         // durable here, or nothing at all
 * }</pre>
 *
 * <p><b>Contract</b> (every implementation; the testkit's {@code UnitOfWorkContractTest} proves it):
 * <ul>
 *   <li>Every call to a store of the same set (the stores that came with this unit of work) made by the work
 *       <em>on the calling thread</em> joins the transaction. Calls from other threads do not.
 *   <li>If the work returns, everything it wrote is committed (durably, for a durable store) before
 *       {@code inTransaction} returns. If it throws anything, or a store call inside it failed (even one the
 *       work caught), everything it wrote is rolled back and the exception is rethrown (a store failure the
 *       work swallowed is rethrown as that failure).
 *   <li>A unit started inside a unit joins the outer one. What an inner unit wrote is undone if the inner
 *       unit throws (a savepoint); the outer unit may catch that and go on. Nothing is durable before the
 *       outer unit commits.
 *   <li>The work sees its own writes. Other threads see none of them before the commit.
 *   <li>Change-feed notices and any in-memory state the stores keep are published only after the commit;
 *       a rolled-back unit publishes nothing.
 *   <li>Store calls made outside a unit keep their own behaviour: each commits on its own.
 * </ul>
 *
 * <p><b>Warning:</b> an implementation may run the work more than once when the database asks for a retry
 * (PostgreSQL reports a deadlock or a serialization failure): the work must be repeatable, with no effect
 * outside the stores that is unsafe to repeat (compute what must happen once, such as sending a reply,
 * after {@code inTransaction} returns). Keep the work short: on SQLite the units of a process run one at a
 * time. <b>Thread safety:</b> safe for concurrent use; each thread has its own unit.
 */
public interface UnitOfWork {
  /**
   * Runs {@code work} in one transaction and commits it.
   *
   * @param work the store calls to make atomically; may run more than once (see the class comment)
   * @param <T> what the work returns
   * @param <X> the checked exception the work may throw besides {@link StoreException}
   * @return what the work returned, after the commit
   * @throws StoreException if a store call in the work failed or the commit failed; nothing was kept
   * @throws X what the work threw; nothing was kept
   */
  <T, X extends Exception> T inTransaction(Work<T, X> work) throws StoreException, X;

  /**
   * The store calls of a unit.
   *
   * @param <T> the result
   * @param <X> the checked exception it may throw besides {@link StoreException}
   */
  @FunctionalInterface
  interface Work<T, X extends Exception> {
    /**
     * @return the result handed back by {@link UnitOfWork#inTransaction}
     * @throws StoreException if a store failed
     * @throws X the work's own failure
     */
    T run() throws StoreException, X;
  }
}
