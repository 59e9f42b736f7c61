package dev.aura.revocation;

import dev.aura.revocation.internal.RevocationState;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditLog;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationChange.Action;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.StoreException;
import dev.aura.token.RevocationCheck;
import dev.aura.token.VerifiedJoinToken;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership's revocation list: revocations by jti ({@code aura mothership token revoke jt_...}), by
 * subject ({@code peer revoke alice@acme.com}) and by peer id ({@code peer revoke peer_0a1b2c3d}), consulted on
 * every join and every refresh.
 *
 * <pre>{@code
 * RevocationList list = RevocationList.open(revocationStore, auditLog, clock);   // rebuilt from the store
 * JoinTokenValidator validator = JoinTokenValidator.builder()...revocation(list).build();
 * RefreshCredentials credentials = RefreshCredentials.builder()...revocation(list).build();
 * list.addListener(r -> server.closeConnectionsRefusedBy(r));                  // instant disconnect
 * list.revoke(RevocationTarget.fromArgument("alice@acme.com"), "admin@acme.com", "left the company");
 * list.unrevoke(RevocationTarget.fromArgument("peer_0a1b2c3d"), "admin@acme.com", null);
 * }</pre>
 *
 * <p><b>The model.</b> The store holds an append-only log of changes (revoke or unrevoke of a target), each
 * with a version assigned by the store: 1, 2, 3, ... with no gaps. The list in memory is that log replayed:
 * the revocations in force, with O(1) lookups, and the version of the last change applied. A subject
 * revocation refuses tokens issued and peers joined up to the revocation's second (see {@link Revocation});
 * a token issued to the subject afterwards works.
 *
 * <p><b>Durability and audit.</b> {@link #revoke} and {@link #unrevoke} append the change to the store, which
 * makes it durable, before the revocation is in force here and before they return; then they write
 * {@code token_revoked <target> by <actor>} or {@code token_unrevoked ...} to the audit log.
 *
 * <p><b>Several Motherships on one database.</b> Each process has its own list; {@link #refresh} applies
 * changes other processes appended, and {@link #follow} does so whenever the store's change feed announces
 * one.
 *
 * <p><b>Thread safety.</b> Lookups (every handshake) are lock-free reads of concurrent maps. Changes are
 * applied one at a time, in version order, under a lock.
 */
public final class RevocationList implements RevocationCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);
  private static final int PAGE = 10_000;
  private static final int MAX_REASON = 1_024;

  private record Acknowledgement(long version, Instant at) {}

  /** Every revocation in force at one version, read consistently. */
  record Snapshot(long version, List<Revocation> inForce) {}

  private final RevocationStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final RevocationState state;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<PeerId, Acknowledgement> acknowledgements = new ConcurrentHashMap<>();

  private RevocationList(RevocationStore store, AuditLog audit, Clock clock, RevocationState state) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.state = state;
  }

  /**
   * Opens the list, replaying every change in the store.
   *
   * @param store where changes are persisted
   * @param audit where revocations are recorded
   * @param clock the time of each revocation
   * @throws StoreException if the store could not be read, or returned versions with a gap
   */
  public static RevocationList open(RevocationStore store, AuditLog audit, Clock clock) throws StoreException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(clock, "clock");
    long latest = store.latestVersion();
    RevocationList list = new RevocationList(store, audit, clock, new RevocationState(latest));
    list.writeLock.lock();
    try {
      list.catchUp(latest, false);
    } finally {
      list.writeLock.unlock();
    }
    LOG.info("revocation list loaded at version {} with {} revocations in force", list.version(), list.size());
    return list;
  }

  /**
   * Revokes a target: persisted, in force here, then audited as {@code token_revoked <target> by <actor>}.
   * Revoking a target again records a new change (for a subject, it moves the cut-off to now).
   *
   * @param target what to revoke, for example {@code RevocationTarget.fromArgument(argument)}
   * @param actor who revokes, for the audit log ({@code admin@acme.com}, {@code local-admin})
   * @param reason optional free text kept in the store, or null; never sent to peers
   * @return the revocation this call recorded
   * @throws StoreException if the store failed (then nothing changed), or if the audit log failed after the
   *     change was stored (then the revocation is in force, and the message says so)
   * @throws IllegalArgumentException if the actor is blank or unfit for the audit log, or the reason too long
   */
  public Revocation revoke(RevocationTarget target, String actor, String reason) throws StoreException {
    Objects.requireNonNull(target, "target");
    requireReason(reason);
    Instant at = clock.instant();
    AuditEvent event = auditEvent(AuditEventType.TOKEN_REVOKED, at, target, actor);
    RevocationEntry entry = store.append(new RevocationChange(Action.REVOKE, target, actor, at, reason));
    applyThrough(entry.version());
    LOG.info("revoked {} {} at version {} by {}", target.kind(), target.value(), entry.version(), actor);
    record(event, entry);
    return new Revocation(entry.version(), target, at);
  }

  /**
   * Lifts the revocation of a target ({@code aura mothership peer unrevoke peer_0a1b2c3d}): persisted, lifted
   * here, then audited as {@code token_unrevoked <target> by <actor>}. Lifting a subject revocation makes
   * every token and peer of that subject acceptable again. When the target is not revoked, nothing is stored
   * or audited.
   *
   * @return the revocation that was lifted, or empty if the target was not revoked
   * @throws StoreException as {@link #revoke}
   * @throws IllegalArgumentException as {@link #revoke}
   */
  public Optional<Revocation> unrevoke(RevocationTarget target, String actor, String reason)
      throws StoreException {
    Objects.requireNonNull(target, "target");
    requireReason(reason);
    refresh();
    Optional<Revocation> current = state.find(target);
    if (current.isEmpty()) {
      auditEvent(AuditEventType.TOKEN_UNREVOKED, clock.instant(), target, actor); // still checks the actor
      return Optional.empty();
    }
    Instant at = clock.instant();
    AuditEvent event = auditEvent(AuditEventType.TOKEN_UNREVOKED, at, target, actor);
    RevocationEntry entry = store.append(new RevocationChange(Action.UNREVOKE, target, actor, at, reason));
    applyThrough(entry.version());
    LOG.info("unrevoked {} {} at version {} by {}", target.kind(), target.value(), entry.version(), actor);
    record(event, entry);
    return current;
  }

  /**
   * Applies the changes other Mothership processes appended to the shared store since this list's version,
   * telling listeners of each new revocation.
   *
   * @return how many changes were applied
   * @throws StoreException if the store failed; the changes read before the failure stay applied
   */
  public int refresh() throws StoreException {
    writeLock.lock();
    try {
      long before = state.version();
      catchUp(Long.MAX_VALUE, true);
      return (int) (state.version() - before);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Refreshes whenever the change feed announces a revocation newer than this list's version. The refresh
   * reads the store, so it runs on {@code executor}, never on the feed's thread; notices that arrive while one
   * is pending are coalesced. A failed refresh is logged and retried on the next notice.
   *
   * @param feed the store's change feed
   * @param executor where refreshes run, owned by the embedding server
   * @return the feed subscription; close it to stop following
   */
  public StoreChangeFeed.Subscription follow(StoreChangeFeed feed, Executor executor) {
    Objects.requireNonNull(executor, "executor");
    AtomicBoolean pending = new AtomicBoolean();
    return feed.subscribe(change -> {
      if (change.topic() != StoreChange.Topic.REVOCATIONS || change.version() <= state.version()
          || !pending.compareAndSet(false, true)) {
        return;
      }
      try {
        executor.execute(() -> {
          pending.set(false);
          try {
            refresh();
          } catch (StoreException | RuntimeException e) {
            LOG.warn("could not apply revocations announced by the change feed (retrying on the next"
                + " notice): {}", e.getMessage());
          }
        });
      } catch (RejectedExecutionException e) {
        pending.set(false);
        LOG.warn("revocation refresh was not scheduled: {}", e.getMessage());
      }
    });
  }

  /** @param listener told of every new revocation from now on; see {@link RevocationListener} */
  public void addListener(RevocationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** @param listener a listener added before; no effect otherwise */
  public void removeListener(RevocationListener listener) {
    listeners.remove(listener);
  }

  /** @return the version of the last change applied; 0 for an empty list */
  public long version() {
    return state.version();
  }

  /** @return how many revocations are in force */
  public int size() {
    return state.size();
  }

  /** @return the revocation in force for exactly this target (a subject's tokens are not looked at) */
  public Optional<Revocation> find(RevocationTarget target) {
    return state.find(Objects.requireNonNull(target, "target"));
  }

  /** @return every revocation in force, oldest version first */
  public List<Revocation> inForce() {
    return List.copyOf(state.inForce());
  }

  /**
   * The changes after a version, oldest first, as stored (with actor and reason): the delta a peer at
   * {@code afterVersion} needs. Only changes this list has applied are returned.
   *
   * @param afterVersion 0 for everything, at most {@link #version()}
   * @param limit at most this many, at least 1
   * @throws StoreException if the store failed
   * @throws IllegalArgumentException if {@code afterVersion} is negative or ahead of this list
   */
  public List<RevocationEntry> changesSince(long afterVersion, int limit) throws StoreException {
    long current = state.version();
    if (afterVersion < 0 || afterVersion > current) {
      throw new IllegalArgumentException("afterVersion must be between 0 and the list's version " + current
          + ", got " + afterVersion);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (afterVersion == current) {
      return List.of();
    }
    List<RevocationEntry> page = store.since(afterVersion, (int) Math.min(limit, current - afterVersion));
    List<RevocationEntry> out = new ArrayList<>(page.size());
    long expected = afterVersion + 1;
    for (RevocationEntry e : page) {
      if (e.version() > current) {
        break;
      }
      if (e.version() != expected) {
        throw gap(expected, e.version());
      }
      out.add(e);
      expected++;
    }
    return List.copyOf(out);
  }

  /**
   * Records the revocation version a peer reports having applied ({@link PeerRevocationCache#version()}).
   * Kept in memory: after a restart, peers are unknown until they report again.
   *
   * @throws IllegalArgumentException if the version is negative
   */
  public void acknowledge(PeerId peer, long appliedVersion) {
    Objects.requireNonNull(peer, "peer");
    if (appliedVersion < 0) {
      throw new IllegalArgumentException("an applied version is 0 or more, got " + appliedVersion);
    }
    acknowledgements.put(peer, new Acknowledgement(appliedVersion, clock.instant()));
  }

  /** @return the version the peer last reported, if it reported */
  public Optional<Long> acknowledgedVersion(PeerId peer) {
    Acknowledgement a = acknowledgements.get(peer);
    return a == null ? Optional.empty() : Optional.of(a.version());
  }

  /** Forgets a peer's acknowledgements, for a peer removed from the Mothership. */
  public void forgetAcknowledgements(PeerId peer) {
    acknowledgements.remove(peer);
  }

  /**
   * @return the peers that reported a version behind the current one, furthest behind first; peers revoked
   *     by id are left out (they receive no more updates)
   */
  public List<LaggingPeer> laggingPeers() {
    long current = state.version();
    List<LaggingPeer> out = new ArrayList<>();
    acknowledgements.forEach((peer, a) -> {
      if (a.version() < current && !state.isPeerRevoked(peer)) {
        out.add(new LaggingPeer(peer, a.version(), current, a.at()));
      }
    });
    out.sort(Comparator.comparingLong(LaggingPeer::acknowledgedVersion)
        .thenComparing(p -> p.peer().value()));
    return List.copyOf(out);
  }

  /** {@inheritDoc} Lock-free: a jti lookup and a subject lookup. */
  @Override
  public Optional<String> revocationOf(VerifiedJoinToken token) {
    return state.revocationOf(token.jti(), token.subject(), token.issuedAt());
  }

  /** {@inheritDoc} Lock-free: a peer id lookup and a subject lookup. */
  @Override
  public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
    return state.revocationOfPeer(peer, subject, joinedAt);
  }

  /** Reads every revocation in force with the version they are in force at, if there are at most max. */
  Optional<Snapshot> snapshotIfAtMost(int max) {
    writeLock.lock();
    try {
      return state.inForceIfAtMost(max).map(list -> new Snapshot(state.version(), list));
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "RevocationList[version=" + version() + ", inForce=" + size() + "]";
  }

  private void applyThrough(long version) throws StoreException {
    writeLock.lock();
    try {
      catchUp(version, true);
    } finally {
      writeLock.unlock();
    }
  }

  /** Applies stored changes in order until {@code target} (or, for Long.MAX_VALUE, the end). Holds the lock. */
  private void catchUp(long target, boolean notify) throws StoreException {
    while (state.version() < target) {
      List<RevocationEntry> page = store.since(state.version(), PAGE);
      if (page.isEmpty()) {
        if (target == Long.MAX_VALUE) {
          return;
        }
        throw new StoreException("revocation store reported version " + target
            + " but returned nothing after version " + state.version());
      }
      for (RevocationEntry e : page) {
        if (e.version() != state.version() + 1) {
          throw gap(state.version() + 1, e.version());
        }
        RevocationChange c = e.change();
        Revocation result = state.apply(e.version(), c.action(), c.target(), c.at());
        if (notify && c.action() == Action.REVOKE) {
          notifyListeners(result);
        }
      }
    }
  }

  private void notifyListeners(Revocation revocation) {
    for (RevocationListener l : listeners) {
      try {
        l.onRevoked(revocation);
      } catch (RuntimeException e) {
        LOG.warn("revocation listener {} failed on {}: {}", l.getClass().getName(), revocation, e.toString());
      }
    }
  }

  private void record(AuditEvent event, RevocationEntry entry) throws StoreException {
    try {
      audit.append(event);
    } catch (StoreException e) {
      LOG.error("{} is stored as version {} and in force, but the audit log failed", event.describe(),
          entry.version());
      throw new StoreException("the change to " + entry.change().target() + " is stored as version "
          + entry.version() + " and in force, but the audit log failed: " + e.getMessage(), e);
    }
  }

  private static AuditEvent auditEvent(AuditEventType type, Instant at, RevocationTarget target, String actor) {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an actor is required for the audit log (for example local-admin)");
    }
    return AuditEvent.of(type, at, target.value()).by(actor);
  }

  private static void requireReason(String reason) {
    if (reason != null && reason.length() > MAX_REASON) {
      throw new IllegalArgumentException("a reason is at most " + MAX_REASON + " characters, got "
          + reason.length());
    }
  }

  private static StoreException gap(long expected, long found) {
    return new StoreException("revocation store returned version " + found + " where " + expected
        + " was expected (versions must have no gaps)");
  }
}
