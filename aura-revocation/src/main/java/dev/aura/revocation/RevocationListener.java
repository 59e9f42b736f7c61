package dev.aura.revocation;

/**
 * Told of every new revocation, so that a server can close a revoked peer's connection at once instead of at
 * its next heartbeat:
 *
 * <pre>{@code
 * list.addListener(r -> connections.forEach(c -> {
 *   if (r.refusesPeer(c.peer(), c.subject(), c.joinedAt())) {
 *     c.close("peer revoked");
 *   }
 * }));
 * }</pre>
 *
 * <p>Called once per revocation, in version order, on the thread that applied it (the one that called
 * {@link RevocationList#revoke} or {@link RevocationList#refresh}), after the revocation is in force, while
 * the list holds its write lock. <b>Warning:</b> must be quick and must not block; hand slow work to an
 * executor. Reading the list from a listener is fine. An exception thrown by a listener is logged and does
 * not undo the revocation.
 */
@FunctionalInterface
public interface RevocationListener {
  /** @param revocation the revocation that just came into force */
  void onRevoked(Revocation revocation);
}
