package dev.aura.app.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.InstanceRecord;
import dev.aura.spi.InstanceRegistry;
import dev.aura.spi.StoreException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's row in the {@link InstanceRegistry}: written at start and every {@link #INTERVAL}, with the
 * connected peer count; the registry read back at each beat is kept, so that a join or refresh answers the
 * instance list without a database read. A beat that fails marks this instance "cannot reach the database"
 * until one succeeds. A row left by an earlier, killed process at the same URL (on SQLite: any other row) is
 * removed at start; stale rows of other URLs stay, shown as stale, until that instance comes back or until
 * they are {@link #FORGET_AFTER} old: then the beat removes them (an instance retired for good), logged.
 * Thread-safe.
 */
public final class InstanceHeartbeat implements AutoCloseable {
  /** How often an instance reports; a row older than three intervals is stale. */
  public static final Duration INTERVAL = Duration.ofSeconds(2);
  /**
   * How long the row of an instance without a heartbeat stays listed (as stale, and as {@code DR016}) before
   * the live instances forget it: long enough to be seen over a weekend, as Consul's 72 h reconnect timeout.
   */
  public static final Duration FORGET_AFTER = Duration.ofHours(72);
  private static final Logger LOG = LoggerFactory.getLogger(InstanceHeartbeat.class);

  /** What this instance knows of the group at its last beat. */
  private record Snapshot(List<InstanceRecord> instances, String storeProblem) {}

  private final InstanceRegistry registry;
  private final Clock clock;
  private final IntSupplier connectedPeers;
  private final ScheduledExecutorService timer;
  private volatile InstanceRecord self;
  private volatile Snapshot last;

  private InstanceHeartbeat(InstanceRegistry registry, InstanceRecord self, Clock clock, IntSupplier peers) {
    this.registry = registry;
    this.self = self;
    this.clock = clock;
    this.connectedPeers = peers;
    this.last = new Snapshot(List.of(self), null);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "aura-instance-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Registers this instance and starts beating.
   *
   * @param advertisedUrl where peers reach this instance
   * @param version the Aura version it runs
   * @param peers the number of peers connected now
   * @param soleInstance whether the store admits this instance only (SQLite): other rows are left by earlier
   *     processes
   */
  public static InstanceHeartbeat start(InstanceRegistry registry, URI advertisedUrl, String version, Clock clock,
      IntSupplier peers, boolean soleInstance) {
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    Instant now = clock.instant();
    InstanceRecord self = new InstanceRecord("i-" + HexFormat.of().formatHex(id), advertisedUrl.toString(), now,
        now, 0, version);
    InstanceHeartbeat heartbeat = new InstanceHeartbeat(registry, self, clock, peers);
    heartbeat.removeEarlierIncarnations(soleInstance);
    heartbeat.beat();
    long millis = INTERVAL.toMillis();
    heartbeat.timer.scheduleWithFixedDelay(heartbeat::beat, millis, millis, TimeUnit.MILLISECONDS);
    return heartbeat;
  }

  /**
   * Removes the rows of earlier processes: at this URL (this process holds its port now), or every other row
   * when the store admits one instance only (SQLite).
   */
  private void removeEarlierIncarnations(boolean soleInstance) {
    try {
      for (InstanceRecord r : registry.list()) {
        if (!r.instanceId().equals(self.instanceId())
            && (soleInstance || r.advertisedUrl().equals(self.advertisedUrl()))) {
          registry.remove(r.instanceId());
        }
      }
    } catch (StoreException e) {
      LOG.warn("could not tidy the instance registry: {}", e.getMessage());
    }
  }

  private void beat() {
    try {
      self = self.beat(clock.instant(), connectedPeers.getAsInt());
      registry.heartbeat(self);
      List<InstanceRecord> listed = new ArrayList<>(registry.list());
      Instant now = clock.instant();
      for (InstanceRecord r : List.copyOf(listed)) {
        if (!r.instanceId().equals(self.instanceId()) && r.heartbeatAt().plus(FORGET_AFTER).isBefore(now)) {
          registry.remove(r.instanceId());
          listed.remove(r);
          LOG.info("forgot Mothership instance {} at {}: no heartbeat since {}", r.instanceId(), r.advertisedUrl(),
              r.heartbeatAt());
        }
      }
      last = new Snapshot(List.copyOf(listed), null);
    } catch (StoreException | RuntimeException e) {
      if (last.storeProblem() == null) {
        LOG.warn("instance heartbeat failed: cannot reach the database: {}", e.getMessage());
      }
      last = new Snapshot(last.instances(), e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** @return this instance's id */
  public String instanceId() {
    return self.instanceId();
  }

  /** @return why the last beat failed, empty when it reached the database */
  public Optional<String> storeProblem() {
    return Optional.ofNullable(last.storeProblem());
  }

  /**
   * @return the URLs peers should try, for a join or refresh answer: this instance first, then every other
   *     instance whose heartbeat is fresh, oldest start first
   */
  public List<String> peerUrls() {
    Instant now = clock.instant();
    List<String> urls = new ArrayList<>();
    urls.add(self.advertisedUrl());
    for (InstanceRecord r : last.instances()) {
      if (!r.instanceId().equals(self.instanceId()) && !r.isStale(now, INTERVAL)
          && !urls.contains(r.advertisedUrl())) {
        urls.add(r.advertisedUrl());
      }
    }
    return urls;
  }

  /** Adds {@code "instances": [url, ...]} (see {@link #peerUrls()}) to a join or refresh answer. */
  public void addPeerUrls(ObjectNode body) {
    ArrayNode list = body.putArray("instances");
    peerUrls().forEach(list::add);
  }

  /**
   * @return the group as {@code aura mothership status} shows it, read fresh from the registry: each instance
   *     with {@code health} "ok", "stale heartbeat" or (this one, when its beat failed) "cannot reach the
   *     database"; when the registry cannot be read, the last list known, and {@code store_problem}
   * @param storeDown the store is known to be out of reach: do not wait for it, show the last list
   */
  public ObjectNode describe(boolean storeDown) {
    Instant now = clock.instant();
    List<InstanceRecord> instances = last.instances();
    String problem = storeDown ? "the store did not answer the health probe" : null;
    if (!storeDown) {
      try {
        instances = registry.list();
        last = new Snapshot(List.copyOf(instances), last.storeProblem()); // answers agree with what status showed
      } catch (StoreException | RuntimeException e) {
        problem = e.getMessage() == null ? e.toString() : e.getMessage();
      }
    }
    ObjectNode out = Wire.object();
    out.put("heartbeat_seconds", INTERVAL.toSeconds());
    if (problem != null) {
      out.put("store_problem", problem);
    }
    ArrayNode list = out.putArray("instances");
    boolean listedSelf = false;
    for (InstanceRecord r : instances) {
      boolean mine = r.instanceId().equals(self.instanceId());
      listedSelf |= mine;
      add(list, mine ? self : r, mine, now, problem != null || last.storeProblem() != null);
    }
    if (!listedSelf) {
      add(list, self, true, now, true);
    }
    return out;
  }

  private static void add(ArrayNode list, InstanceRecord r, boolean self, Instant now, boolean storeDown) {
    ObjectNode o = list.addObject();
    o.put("instance_id", r.instanceId());
    o.put("url", r.advertisedUrl());
    o.put("self", self);
    o.put("health", self && storeDown ? "cannot reach the database"
        : r.isStale(now, INTERVAL) ? "stale heartbeat" : "ok");
    o.put("connected_peers", r.connectedPeers());
    o.put("started_at", r.startedAt().toString());
    o.put("heartbeat_at", r.heartbeatAt().toString());
    o.put("heartbeat_age_ms", Math.max(0, Duration.between(r.heartbeatAt(), now).toMillis()));
    o.put("version", r.version());
  }

  /**
   * Stops beating and removes this instance's row (a clean stop is not "stale"); a beat under way may finish
   * first (2 s at most). With the database out of reach the row stays, and goes stale.
   */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(2, TimeUnit.SECONDS) || last.storeProblem() != null) {
        timer.shutdownNow();
        return;
      }
      registry.remove(self.instanceId());
    } catch (StoreException e) {
      LOG.warn("could not remove this instance from the registry: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
