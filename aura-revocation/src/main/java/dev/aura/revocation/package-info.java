/**
 * The revocation list, on the Mothership and on peers.
 *
 * <ul>
 *   <li>{@link dev.aura.revocation.RevocationList}: the Mothership's list, persisted through a
 *       {@link dev.aura.spi.RevocationStore}, audited, consulted on every join and refresh, with listeners for
 *       instant disconnect and acknowledgements from peers;
 *   <li>{@link dev.aura.revocation.RevocationPublisher}: signs snapshots and deltas of it for peers;
 *   <li>{@link dev.aura.revocation.PeerRevocationCache}: a peer's verified copy, enforced while the Mothership
 *       is down, with anti-rollback, gap detection and a maximum staleness;
 *   <li>{@link dev.aura.revocation.SavedRevocationCopy}: that copy saved in the peer's {@code $AURA_HOME}
 *       (this module's one file I/O), re-verified at start, refusing an older copy put in its place;
 *   <li>{@link dev.aura.revocation.RevocationSyncException}: the one exception for a refused update or a stale
 *       copy.
 * </ul>
 */
package dev.aura.revocation;
