package dev.aura.app.direct;

import dev.aura.revocation.PeerRevocationCache;
import dev.aura.revocation.RevocationSyncException;
import dev.aura.revocation.SavedRevocationCopy;
import dev.aura.revocation.UpdateOutcome;
import dev.aura.spi.RevocationSource;
import dev.aura.spi.TransportException;
import dev.aura.token.PublicKeyRing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A peer's verified copy of the Mothership's revocation list, saved in {@code $AURA_HOME/revocations/}
 * ({@code revocations.jws} and {@code revocations.version}, 0600) through {@link SavedRevocationCopy}, so
 * that direct connections keep refusing revoked peers while the Mothership is down, also after a restart.
 *
 * <p>At start the saved copy is re-verified; a rolled-back, deleted or corrupt copy is refused with a message
 * that says why ({@link #loadProblem()}), and the copy then stays empty and stale, which refuses every new
 * direct connection until a fresh sync with the Mothership. The copy is stale after {@code maxAge} (default
 * {@value #DEFAULT_MAX_AGE_MINUTES} minutes: long enough to ride out a Mothership restart or a short outage,
 * short enough that a revocation issued while a peer was cut off cannot be ignored for long), and stale
 * fails closed: "revoked: the revocation list is too old to trust: ...". While connected, the copy is
 * renewed (a signed, possibly empty delta over HTTPS) whenever it is older than a quarter of the bound.
 */
public final class RevocationCopy {
  /** The default staleness bound, in minutes. */
  public static final long DEFAULT_MAX_AGE_MINUTES = 60;
  /** The directory in {@code $AURA_HOME}. */
  public static final String DIRECTORY = "revocations";

  private final PeerRevocationCache cache;
  private final SavedRevocationCopy saved;
  private final Clock clock;
  private final Duration maxAge;
  private final String loadProblem;

  private RevocationCopy(PeerRevocationCache cache, SavedRevocationCopy saved, Clock clock, Duration maxAge,
      String loadProblem) {
    this.cache = cache;
    this.saved = saved;
    this.clock = clock;
    this.maxAge = maxAge;
    this.loadProblem = loadProblem;
  }

  /** Opens and loads the saved copy; a refused copy is reported by {@link #loadProblem()}, not thrown. */
  public static RevocationCopy open(Path home, Supplier<PublicKeyRing> keys, Clock clock, Duration maxAge)
      throws IOException {
    PeerRevocationCache cache = PeerRevocationCache.builder().keys(keys).clock(clock).maxStaleness(maxAge).build();
    SavedRevocationCopy saved = SavedRevocationCopy.open(home.resolve(DIRECTORY), cache);
    String problem = null;
    try {
      saved.load();
    } catch (RevocationSyncException e) {
      problem = "the saved revocation list was refused (" + e.reason().code() + "): " + e.getMessage()
          + "; new direct connections are refused until this peer syncs with its Mothership";
    } catch (RuntimeException e) { // no Mothership keys saved yet to verify it with
      problem = "the saved revocation list cannot be verified yet (" + e.getMessage() + ")";
    }
    return new RevocationCopy(cache, saved, clock, maxAge, problem);
  }

  /** @return the cache every check reads (the access policy, the identity verifier) */
  public PeerRevocationCache cache() {
    return cache;
  }

  /** @return why the saved copy was not loaded at start, if it was not */
  public Optional<String> loadProblem() {
    return Optional.ofNullable(loadProblem);
  }

  /** Applies a signed update from the control connection and saves it. */
  public UpdateOutcome apply(String document) throws RevocationSyncException, IOException {
    return saved.apply(document);
  }

  /** Renews the copy from {@code source} when it is older than a quarter of the bound (or never synced). */
  public Optional<UpdateOutcome> renewIfDue(RevocationSource source)
      throws TransportException, RevocationSyncException, IOException {
    Optional<Instant> asOf = cache.freshness().completeAsOfIfAny();
    if (asOf.isPresent() && Duration.between(asOf.get(), clock.instant()).compareTo(maxAge.dividedBy(4)) < 0) {
      return Optional.empty();
    }
    return Optional.of(saved.sync(source));
  }
}
