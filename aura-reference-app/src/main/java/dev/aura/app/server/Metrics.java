package dev.aura.app.server;

import dev.aura.spi.StoreException;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogStats;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Mothership's metrics, kept with the Prometheus Java client and rendered by {@code GET /metrics} in the
 * Prometheus text exposition format (version 0.0.4).
 *
 * <p>Each {@link MothershipService} has its own {@link PrometheusRegistry}, never the client's global default,
 * so several Motherships in one process (the in-process tests) keep their counts apart. Counters and
 * histograms are updated as things happen; gauges (certificate lifetime, peers, revocation, health, the sync
 * event log) are read from the service at scrape time. The JVM and process metrics ({@code jvm_*},
 * {@code process_*}) describe the process, not a Mothership: they live in one registry per process and are
 * added to every scrape.
 *
 * <pre>{@code
 * mothership.metrics().rejected("already_used");
 * String text = mothership.metrics().scrape(server);   // what GET /metrics answers
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Metrics {
  /** Outcome label of the duration histograms: the join or refresh succeeded. */
  static final String OK = "ok";
  /** Outcome label: refused (a token or credential rejection, the rate limit, a bad request). */
  static final String REJECTED = "rejected";
  /** Outcome label: an internal failure (a store failed). */
  static final String ERROR = "error";

  /** The reasons {@code /healthz} reports as degraded, each always present in {@code aura_health_degraded}. */
  static final List<String> HEALTH_REASONS = List.of("tls_cert_expiring_soon", "store_unreachable", "wal_behind");

  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
  private static final double[] LATENCY_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  /** JVM and process metrics: one set per process (the client keeps every registry it was added to). */
  private static final PrometheusRegistry PROCESS = processRegistry();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder().build();
  private final Counter joins;
  private final Counter rejections;
  private final Counter tokensIssued;
  private final Counter rateLimited;
  private final Counter refreshRotations;
  private final Counter pushesRefused;
  private final Histogram joinDuration;
  private final Histogram refreshDuration;
  /** The server whose connections the last scrape reported; null before the first. */
  private volatile ServerControl server;

  /** Registers this Mothership's metrics; the gauges call back into {@code mothership} only when scraped. */
  Metrics(MothershipService mothership) {
    joins = counter("aura_joins_total", "Peers that joined with a join token.");
    rejections = Counter.builder().name("aura_join_rejections_total")
        .help("Joins and refreshes refused, by reason.").labelNames("reason").register(registry);
    tokensIssued = counter("aura_tokens_issued_total", "Join tokens issued.");
    rateLimited = counter("aura_handshakes_rate_limited_total",
        "Requests refused because their address failed too many handshakes.");
    refreshRotations = counter("aura_refresh_rotations_total", "Refresh credentials rotated.");
    pushesRefused = Counter.builder().name("aura_sync_pushes_refused_total")
        .help("Sync pushes refused by the access policy, by denial reason.").labelNames("reason")
        .register(registry);
    joinDuration = duration("aura_join_duration_seconds",
        "Time to admit a join (validation, registration, first credential), by outcome.");
    refreshDuration = duration("aura_refresh_duration_seconds",
        "Time to rotate a refresh credential, by outcome.");

    gauge("aura_tls_cert_not_after_seconds",
        "Seconds until the served TLS certificate's notAfter (alert below 30 * 86400).",
        () -> mothership.certificateSecondsLeft());
    gauge("aura_connected_peers", "Peers with an open control connection.", () -> {
      ServerControl s = server;
      return s == null ? 0 : s.connectedPeers().size();
    });
    gauge("aura_registered_peers", "Peers registered with this Mothership.", () -> {
      try {
        return mothership.stores().peerStore().list().size();
      } catch (StoreException e) {
        return -1;
      }
    });
    gauge("aura_revocation_version", "Version of the revocation list.", () -> mothership.revocations().version());
    gauge("aura_revocation_lagging_peers", "Peers that acknowledged an older revocation version.",
        () -> mothership.revocations().laggingPeers().size());
    GaugeWithCallback.builder().name("aura_health_degraded")
        .help("1 when /healthz reports this reason for being degraded, else 0.").labelNames("reason")
        .callback(cb -> guarded("aura_health_degraded", () -> {
          List<String> problems = mothership.healthProblems();
          HEALTH_REASONS.forEach(r -> cb.call(problems.contains(r) ? 1 : 0, r));
          problems.stream().filter(p -> !HEALTH_REASONS.contains(p)).distinct().forEach(p -> cb.call(1, p));
        })).register(registry);

    syncMetrics(mothership);
  }

  private void syncMetrics(MothershipService mothership) {
    syncCounter("aura_sync_events_persisted_total", "Sync events newly persisted to the event log.",
        EventLogStats::persistedEvents, mothership);
    syncCounter("aura_sync_events_duplicate_total",
        "Sync events acknowledged again because their id was persisted before.", EventLogStats::duplicateEvents,
        mothership);
    syncCounter("aura_sync_events_refused_total",
        "Sync events the event log refused (missing content, too large, size mismatch).",
        EventLogStats::refusedEvents, mothership);
    syncCounter("aura_sync_events_failed_total",
        "Sync events that failed to persist (database failure, full backlog, closed log).",
        EventLogStats::failedEvents, mothership);
    syncCounter("aura_sync_commits_total", "Event log transactions committed (group commit shares them).",
        EventLogStats::commits, mothership);
    syncGauge("aura_sync_backlog_events", "Sync events submitted but not yet durable (wal_behind).",
        EventLogStats::backlogEvents, mothership);
    syncGauge("aura_sync_commit_latency_seconds", "How long the last event log commit took.",
        s -> seconds(s.lastCommitLatency()), mothership);
    syncGauge("aura_sync_commit_latency_recent_max_seconds",
        "The longest of the last " + EventLogStats.RECENT_COMMITS + " event log commits.",
        s -> seconds(s.recentMaxCommitLatency()), mothership);
    syncGauge("aura_sync_oldest_waiting_seconds", "How long the oldest sync event not yet durable has waited.",
        s -> seconds(s.oldestWaitingAge()), mothership);
    gauge("aura_sync_pushes_in_flight", "Sync pushes received whose events are not yet persisted.", () -> {
      ServerControl s = server;
      return s == null ? 0 : s.syncPushesInFlight();
    });
    GaugeWithCallback.builder().name("aura_sync_workspace_head")
        .help("Last persisted sequence of each workspace with events.").labelNames("workspace")
        .callback(cb -> guarded("aura_sync_workspace_head", () -> {
          Map<WorkspaceName, Long> heads;
          try {
            heads = mothership.eventLog().heads();
          } catch (EventLogException e) {
            LOG.warn("metrics: could not read the workspace heads: {}", e.getMessage());
            return;
          }
          heads.forEach((w, seq) -> cb.call(seq, w.value()));
        })).register(registry);
    GaugeWithCallback.builder().name("aura_sync_subscribers")
        .help("Open sync subscriptions, by workspace.").labelNames("workspace")
        .callback(cb -> guarded("aura_sync_subscribers", () -> {
          ServerControl s = server;
          if (s != null) {
            s.syncSubscribers().forEach((w, n) -> cb.call(n, w));
          }
        })).register(registry);
  }

  // ---------------------------------------------------------------- updates

  /** Counts a successful join. */
  public void joined() {
    joins.inc();
  }

  /** Counts a refused join or refresh by reason code. */
  public void rejected(String reasonCode) {
    rejections.labelValues(reasonCode).inc();
  }

  /** Counts issued tokens. */
  public void issued(int count) {
    tokensIssued.inc(count);
  }

  /** Counts a request refused by the failed-handshake rate limit. */
  public void rateLimited() {
    rateLimited.inc();
  }

  /** Counts a refresh credential rotation. */
  public void credentialRotated() {
    refreshRotations.inc();
  }

  /** Counts a sync push refused by the access policy, by its denial code. */
  public void pushRefused(String reasonCode) {
    pushesRefused.labelValues(reasonCode).inc();
  }

  /** Records how long a join took, from {@link System#nanoTime()} readings; outcome {@link #OK} and so on. */
  void joinTook(String outcome, long startedNanos) {
    joinDuration.labelValues(outcome).observe(secondsSince(startedNanos));
  }

  /** Records how long a refresh took, from {@link System#nanoTime()} readings. */
  void refreshTook(String outcome, long startedNanos) {
    refreshDuration.labelValues(outcome).observe(secondsSince(startedNanos));
  }

  /** @return joins so far */
  public long joins() {
    return (long) joins.get();
  }

  // ---------------------------------------------------------------- exposition

  /** @return the content type of {@link #scrape}'s text, as the client's writer gives it */
  public String contentType() {
    return writer.getContentType();
  }

  /**
   * Reads every gauge now and renders this Mothership's metrics and the process's.
   *
   * @param server the server whose control connections and sync subscriptions are reported
   * @return the exposition text
   */
  public synchronized String scrape(ServerControl server) {
    this.server = server;
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    for (MetricSnapshot s : registry.scrape()) {
      all.metricSnapshot(s);
    }
    for (MetricSnapshot s : PROCESS.scrape()) {
      all.metricSnapshot(s);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, all.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- helpers

  private static PrometheusRegistry processRegistry() {
    PrometheusRegistry r = new PrometheusRegistry();
    JvmMetrics.builder().register(r);
    return r;
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  private Histogram duration(String name, String help) {
    Histogram h = Histogram.builder().name(name).help(help).labelNames("outcome").classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS).register(registry);
    for (String outcome : List.of(OK, REJECTED, ERROR)) {
      h.initLabelValues(outcome);
    }
    return h;
  }

  /** A gauge without labels. */
  private interface Reading {
    double read();
  }

  private void gauge(String name, String help, Reading reading) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> guarded(name, () -> cb.call(reading.read()))).register(registry);
  }

  /**
   * Runs one metric's callback; when it fails, logs and leaves that metric out of this scrape rather than
   * failing the whole {@code /metrics} (a missing series is visible to alerting, a 500 hides everything).
   */
  private static void guarded(String name, Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("metrics: could not read {}: {}", name, e.toString());
    }
  }

  private void syncGauge(String name, String help, ToDoubleFunction<EventLogStats> value,
      MothershipService mothership) {
    gauge(name, help, () -> value.applyAsDouble(mothership.eventLog().stats()));
  }

  private void syncCounter(String name, String help, ToDoubleFunction<EventLogStats> value,
      MothershipService mothership) {
    CounterWithCallback.builder().name(name).help(help)
        .callback(cb -> guarded(name, () -> cb.call(value.applyAsDouble(mothership.eventLog().stats()))))
        .register(registry);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static double secondsSince(long startedNanos) {
    return Math.max(0, System.nanoTime() - startedNanos) / 1e9;
  }
}
