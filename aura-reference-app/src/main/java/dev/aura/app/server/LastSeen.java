package dev.aura.app.server;

import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.PeerStore;
import dev.aura.spi.StoreException;
import dev.aura.spi.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each peer was last heard from (a ping, an authenticated request, a control-connection ack), kept in
 * memory and written to the peer store in batches: every {@link #FLUSH_INTERVAL} and at clean shutdown, all
 * pending values in one unit of work. A ping therefore writes nothing durable. Readers ({@code peers},
 * {@code status}) get the fresher of the stored and the pending value through {@link #fresher}.
 *
 * <p><b>Loss bound:</b> a crash (kill -9, power loss) loses at most the last {@link #FLUSH_INTERVAL} of
 * {@code last_seen} updates (plus the duration of a flush in progress); the stored value is then that much
 * older than the truth, never newer. Nothing else is kept here. Thread-safe.
 */
final class LastSeen implements AutoCloseable {
  /** How often pending values are written. */
  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(LastSeen.class);

  private final PeerStore peers;
  private final UnitOfWork units;
  private final Map<PeerId, Instant> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "aura-last-seen-flush");
    t.setDaemon(true);
    return t;
  });

  LastSeen(PeerStore peers, UnitOfWork units) {
    this.peers = peers;
    this.units = units;
    long millis = FLUSH_INTERVAL.toMillis();
    flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Records that {@code peer} was heard from at {@code at}; written by the next flush. */
  void seen(PeerId peer, Instant at) {
    pending.merge(peer, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** @return {@code record} with the pending {@code lastSeen} if that is later than the stored one */
  PeerRecord fresher(PeerRecord record) {
    Instant seen = pending.get(record.id());
    return seen != null && seen.isAfter(record.lastSeen()) ? record.seenAt(seen) : record;
  }

  /** @return how many peers pending updates wait for the next flush */
  int pendingCount() {
    return pending.size();
  }

  /**
   * Writes every pending value in one unit of work; a value that changed meanwhile stays pending.
   *
   * @return how many peers were written
   * @throws StoreException if the store failed; the values stay pending for the next flush
   */
  int flush() throws StoreException {
    List<Map.Entry<PeerId, Instant>> batch = new ArrayList<>(Map.copyOf(pending).entrySet());
    if (batch.isEmpty()) {
      return 0;
    }
    units.inTransaction(() -> {
      for (Map.Entry<PeerId, Instant> e : batch) {
        peers.recordSeen(e.getKey(), e.getValue());
      }
      return null;
    });
    for (Map.Entry<PeerId, Instant> e : batch) {
      pending.remove(e.getKey(), e.getValue());
    }
    return batch.size();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (StoreException | RuntimeException e) {
      LOG.warn("could not write last_seen of {} peer(s); retrying in {}s: {}", pending.size(),
          FLUSH_INTERVAL.toSeconds(), e.getMessage());
    }
  }

  /** Stops the periodic flush and writes what is pending, once. */
  @Override
  public void close() {
    flusher.shutdownNow();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }
}
