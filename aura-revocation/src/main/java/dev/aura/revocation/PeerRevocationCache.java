package dev.aura.revocation;

import dev.aura.revocation.UpdateOutcome.Kind;
import dev.aura.revocation.UpdateOutcome.Status;
import dev.aura.revocation.internal.RevocationDocument;
import dev.aura.revocation.internal.RevocationState;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationSource;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.TransportException;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.RevocationCheck;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import dev.aura.token.VerifiedJoinToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's copy of its Mothership's revocation list, built only from signed updates
 * ({@link RevocationPublisher}) verified with the Mothership's public keys, so that the peer keeps enforcing
 * revocations while the Mothership is down.
 *
 * <pre>{@code
 * PeerRevocationCache cache = PeerRevocationCache.builder()
 *     .keys(() -> mothershipKeys)                  // PublicKeyRing from the Mothership's JWK set
 *     .clock(Clock.systemUTC())
 *     .maxStaleness(Duration.ofHours(1))            // required: how old a copy may be and still be trusted
 *     .whenStale(StalenessPolicy.FAIL_CLOSED)       // the default; WARN keeps enforcing the old copy
 *     .build();
 * cache.sync(revocationSource);                     // on every heartbeat; then acknowledge cache.version()
 * JoinTokenValidator validator = ....revocation(cache).build();
 * }</pre>
 *
 * <p><b>Rules for an update</b> (checked in this order; the copy is untouched when one fails):
 *
 * <ol>
 *   <li>it verifies as a JWS of type {@code aura-revocation+jwt} under a key of the ring that still verifies
 *       now (a rotated-out key verifies until its grace ends), and its claims are well formed; else
 *       {@link RevocationSyncException.Reason#INVALID};
 *   <li>it ends before the version held: {@link RevocationSyncException.Reason#ROLLBACK} (anti-rollback: an
 *       old, genuinely signed update replayed by an attacker cannot make the peer forget a revocation);
 *   <li>it ends exactly at the version held: {@link UpdateOutcome.Status#UNCHANGED}. Applying the same delta
 *       twice is therefore a harmless no-op (a retried fetch), not an error;
 *   <li>a delta that starts after the version held: {@link RevocationSyncException.Reason#GAP};
 *   <li>otherwise it is applied: a snapshot replaces the copy; a delta's changes after the version held are
 *       applied in version order.
 * </ol>
 *
 * <p><b>Staleness.</b> The copy is complete as of the {@code iat} of the newest update after which it reached
 * the Mothership's {@code head}; an empty delta (a heartbeat) renews it. It is stale from
 * {@code completeAsOf + maxStaleness} on, judged against the injected clock, and before any complete update.
 * While stale, {@link StalenessPolicy#FAIL_CLOSED} refuses every check, {@link StalenessPolicy#WARN} logs once
 * and keeps enforcing.
 *
 * <p><b>Instant disconnect.</b> {@link #addListener} is told of every revocation an update brings into force,
 * so a peer closes a direct connection to a revoked peer at once (on both sides: each peer's copy refuses the
 * other): {@code cache.addListener(r -> connections.closeIf(c -> r.refusesIdentity(c.identity())))}.
 *
 * <p><b>Warning:</b> the copy lives in memory. A peer that restarts while its Mothership is down has nothing
 * to enforce until it syncs again, unless it keeps a {@link SavedRevocationCopy}, which saves the signed
 * updates applied and re-verifies them at start (their old {@code iat} keeps the copy as stale as it was).
 *
 * <p>Thread-safe: checks are lock-free; updates are applied one at a time.
 */
public final class PeerRevocationCache implements RevocationCheck {
  private static final Logger LOG = LoggerFactory.getLogger(PeerRevocationCache.class);
  private static final Duration LONGEST_STALENESS = Duration.ofDays(30);

  private final Supplier<PublicKeyRing> keys;
  private final Clock clock;
  private final Duration maxStaleness;
  private final StalenessPolicy policy;
  private final Set<SigningAlgorithm> algorithms;
  private final AtomicBoolean warnedStale = new AtomicBoolean();
  private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();
  private final Object applyLock = new Object();
  private volatile RevocationState state = new RevocationState(0);
  private volatile Instant completeAsOf;

  private PeerRevocationCache(Builder b) {
    this.keys = b.keys;
    this.clock = b.clock;
    this.maxStaleness = b.maxStaleness;
    this.policy = b.policy == null ? StalenessPolicy.FAIL_CLOSED : b.policy;
    this.algorithms = Set.copyOf(b.algorithms);
  }

  /** @return a builder; {@code keys}, {@code clock} and {@code maxStaleness} are required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies and applies one signed update, following the rules in the class documentation.
   *
   * @param signed the compact JWS; never echoed in a message
   * @return what changed
   * @throws RevocationSyncException {@code INVALID}, {@code ROLLBACK} or {@code GAP}; the copy is unchanged
   */
  public UpdateOutcome apply(String signed) throws RevocationSyncException {
    Instant now = clock.instant();
    RevocationDocument doc;
    try {
      doc = RevocationDocument.fromClaims(
          TypedJws.verify(signed, TokenType.REVOCATION, keys.get(), algorithms, now).claims());
    } catch (TokenRejectedException e) {
      throw new RevocationSyncException(e);
    }
    synchronized (applyLock) {
      RevocationState current = state;
      long held = current.version();
      if (doc.to() < held) {
        throw new RevocationSyncException(RevocationSyncException.Reason.ROLLBACK, "the " + doc.kind().wireName()
            + " covers versions up to " + doc.to() + ", this copy holds version " + held
            + " (if the Mothership's revocation store was reset, build a new cache)");
      }
      if (doc.to() == held) {
        renew(doc, now);
        return outcome(Status.UNCHANGED, doc, 0);
      }
      if (doc.kind() == Kind.DELTA && doc.from() > held) {
        throw new RevocationSyncException(RevocationSyncException.Reason.GAP, "the delta starts after version "
            + doc.from() + ", this copy holds version " + held + ": versions " + (held + 1) + " to " + doc.from()
            + " are missing (fetch the changes after " + held + ")");
      }
      int applied = 0;
      if (doc.kind() == Kind.SNAPSHOT) {
        RevocationState next = new RevocationState(doc.entries().size());
        for (RevocationDocument.Entry e : doc.entries()) {
          next.apply(e.version(), e.action(), e.target(), e.at());
        }
        next.advanceTo(doc.to());
        state = next;
        applied = doc.entries().size();
        renew(doc, now);
        next.inForce().forEach(this::notifyRevoked);
      } else {
        for (RevocationDocument.Entry e : doc.entries()) {
          if (e.version() > held) {
            Revocation r = current.apply(e.version(), e.action(), e.target(), e.at());
            applied++;
            if (r != null && e.action() == dev.aura.spi.RevocationChange.Action.REVOKE) {
              notifyRevoked(r);
            }
          }
        }
        renew(doc, now);
      }
      LOG.debug("applied revocation {} {} to {} (head {}): {} changes", doc.kind().wireName(), doc.from(),
          doc.to(), doc.head(), applied);
      return outcome(Status.APPLIED, doc, applied);
    }
  }

  /**
   * Registers a listener told of every revocation an applied update brings into force (for a snapshot, every
   * revocation in it), once per update, in version order, on the thread that applied it, after the copy holds
   * it. The same rules as for {@link RevocationList#addListener}: quick, non-blocking; an exception is logged
   * and changes nothing.
   */
  public void addListener(RevocationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void notifyRevoked(Revocation revocation) {
    for (RevocationListener l : listeners) {
      try {
        l.onRevoked(revocation);
      } catch (RuntimeException e) {
        LOG.warn("revocation listener failed on {}: {}", revocation, e.toString());
      }
    }
  }

  /** @return an empty copy with the same keys, clock, staleness and policy, and no listeners */
  PeerRevocationCache emptyCopy() {
    Builder b = builder().keys(keys).clock(clock).maxStaleness(maxStaleness).whenStale(policy);
    if (algorithms.contains(SigningAlgorithm.RS256)) {
      b.acceptRs256Legacy();
    }
    return b.build();
  }

  /**
   * Takes over the state of {@code loaded} (a copy rebuilt from saved updates), telling the listeners of every
   * revocation in it.
   *
   * @throws RevocationSyncException {@code ROLLBACK} if this copy already holds a later version
   */
  void adopt(PeerRevocationCache loaded) throws RevocationSyncException {
    synchronized (applyLock) {
      if (loaded.version() < version()) {
        throw new RevocationSyncException(RevocationSyncException.Reason.ROLLBACK, "the saved copy holds"
            + " version " + loaded.version() + ", this copy already holds version " + version());
      }
      state = loaded.state;
      completeAsOf = loaded.completeAsOf;
      state.inForce().forEach(this::notifyRevoked);
    }
  }

  /**
   * Fetches and applies updates from the Mothership until the copy reaches the Mothership's latest version,
   * or an update brings no progress.
   *
   * @return the outcome of the last update applied
   * @throws TransportException if the Mothership could not be reached; updates applied before stay applied
   * @throws RevocationSyncException if an update was refused; updates applied before stay applied
   */
  public UpdateOutcome sync(RevocationSource source) throws TransportException, RevocationSyncException {
    return syncWith(source, this::version, this::apply);
  }

  /** Applies one update; {@code X} is what else the applier may throw (a save's IOException). */
  interface Applier<X extends Exception> {
    UpdateOutcome apply(String signed) throws RevocationSyncException, X;
  }

  /** The sync loop: fetch after the version held and apply, until current or no progress. */
  static <X extends Exception> UpdateOutcome syncWith(RevocationSource source, LongSupplier held,
      Applier<X> applier) throws TransportException, RevocationSyncException, X {
    Objects.requireNonNull(source, "source");
    while (true) {
      long before = held.getAsLong();
      UpdateOutcome outcome = applier.apply(source.fetchSince(before));
      if (outcome.isCurrent() || outcome.to() <= before) {
        return outcome;
      }
    }
  }

  /** @return the version held: report it to the Mothership ({@link RevocationList#acknowledge}) */
  public long version() {
    return state.version();
  }

  /** @return how many revocations the copy holds in force */
  public int size() {
    return state.size();
  }

  /** @return the revocation in force for exactly this target */
  public Optional<Revocation> find(RevocationTarget target) {
    return state.find(Objects.requireNonNull(target, "target"));
  }

  /** @return how current the copy is, judged now */
  public Freshness freshness() {
    return new Freshness(state.version(), completeAsOf, maxStaleness, clock.instant());
  }

  /**
   * For a peer about to serve: refuses when the copy is stale, whatever the policy.
   *
   * @throws RevocationSyncException {@code STALE}, describing the copy's age
   */
  public void requireFresh() throws RevocationSyncException {
    Freshness f = freshness();
    if (f.isStale()) {
      throw new RevocationSyncException(RevocationSyncException.Reason.STALE, f.describe());
    }
  }

  /**
   * {@inheritDoc} A revocation in the copy refuses first; otherwise, a stale copy refuses under
   * {@link StalenessPolicy#FAIL_CLOSED}.
   */
  @Override
  public Optional<String> revocationOf(VerifiedJoinToken token) {
    Optional<String> revoked = state.revocationOf(token.jti(), token.subject(), token.issuedAt());
    return revoked.isPresent() ? revoked : staleRefusal();
  }

  /** {@inheritDoc} As {@link #revocationOf}. */
  @Override
  public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
    Optional<String> revoked = state.revocationOfPeer(peer, subject, joinedAt);
    return revoked.isPresent() ? revoked : staleRefusal();
  }

  @Override
  public String toString() {
    return "PeerRevocationCache[version=" + version() + ", inForce=" + size() + ", policy=" + policy + "]";
  }

  private Optional<String> staleRefusal() {
    Freshness f = freshness();
    if (!f.isStale()) {
      warnedStale.set(false);
      return Optional.empty();
    }
    if (policy == StalenessPolicy.FAIL_CLOSED) {
      return Optional.of("the revocation list is too old to trust: " + f.describe()
          + "; refusing until it syncs with the Mothership (staleness policy fail-closed)");
    }
    if (warnedStale.compareAndSet(false, true)) {
      LOG.warn("the revocation list is too old to trust: {}; still enforcing this copy (staleness policy warn)",
          f.describe());
    }
    return Optional.empty();
  }

  /** After an update that leaves the copy at the Mothership's head: complete as of its iat (never later than now). */
  private void renew(RevocationDocument doc, Instant now) {
    if (doc.to() < doc.head()) {
      return;
    }
    Instant asOf = doc.signedAt().isAfter(now) ? now : doc.signedAt();
    Instant previous = completeAsOf;
    if (previous == null || asOf.isAfter(previous)) {
      completeAsOf = asOf;
    }
  }

  private static UpdateOutcome outcome(Status status, RevocationDocument doc, int applied) {
    return new UpdateOutcome(status, doc.kind(), doc.from(), doc.to(), doc.head(), applied);
  }

  /** Configures a {@link PeerRevocationCache}. */
  public static final class Builder {
    private Supplier<PublicKeyRing> keys;
    private Clock clock;
    private Duration maxStaleness;
    private StalenessPolicy policy;
    private final Set<SigningAlgorithm> algorithms = EnumSet.copyOf(TypedJws.DEFAULT_ALGORITHMS);

    private Builder() {}

    /**
     * The Mothership's public keys, asked for on every update (so a peer that refreshes them from a
     * {@link dev.aura.spi.PublicKeySource} sees rotations). Required.
     */
    public Builder keys(Supplier<PublicKeyRing> value) {
      requireUnset(keys, "keys");
      keys = Objects.requireNonNull(value, "keys");
      return this;
    }

    /** Judges key grace and staleness. Required. */
    public Builder clock(Clock value) {
      requireUnset(clock, "clock");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * How long after its last complete update the copy is still trusted; more than 0, at most 30 days.
     * Required: it trades availability during an outage against how late a revocation may reach the peer.
     */
    public Builder maxStaleness(Duration value) {
      requireUnset(maxStaleness, "maxStaleness");
      Objects.requireNonNull(value, "maxStaleness");
      if (value.isNegative() || value.isZero() || value.compareTo(LONGEST_STALENESS) > 0) {
        throw new IllegalArgumentException("maxStaleness must be more than 0 and at most 30d, got " + value);
      }
      maxStaleness = value;
      return this;
    }

    /** What to do once the copy is stale; default {@link StalenessPolicy#FAIL_CLOSED}. */
    public Builder whenStale(StalenessPolicy value) {
      requireUnset(policy, "whenStale");
      policy = Objects.requireNonNull(value, "whenStale");
      return this;
    }

    /** Also accepts updates signed with RS256, for a Mothership whose ring uses the legacy algorithm. */
    public Builder acceptRs256Legacy() {
      algorithms.add(SigningAlgorithm.RS256);
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting */
    public PeerRevocationCache build() {
      if (keys == null) {
        throw new IllegalStateException("PeerRevocationCache needs the Mothership's public keys: call keys(...)");
      }
      if (clock == null) {
        throw new IllegalStateException("PeerRevocationCache needs a clock: call clock(...)");
      }
      if (maxStaleness == null) {
        throw new IllegalStateException(
            "PeerRevocationCache needs a maximum staleness: call maxStaleness(...)");
      }
      return new PeerRevocationCache(this);
    }

    private static void requireUnset(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
