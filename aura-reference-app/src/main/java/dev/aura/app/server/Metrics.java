package dev.aura.app.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Mothership's counters, rendered in the Prometheus text exposition format (version 0.0.4) by
 * {@code GET /metrics} together with the gauges the server reads at scrape time.
 */
public final class Metrics {
  private final LongAdder joins = new LongAdder();
  private final LongAdder tokensIssued = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder refreshRotations = new LongAdder();
  private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();

  /** Counts a successful join. */
  public void joined() {
    joins.increment();
  }

  /** Counts a refused join or refresh by reason code. */
  public void rejected(String reasonCode) {
    rejections.computeIfAbsent(reasonCode, k -> new LongAdder()).increment();
  }

  /** Counts issued tokens. */
  public void issued(int count) {
    tokensIssued.add(count);
  }

  /** Counts a request refused by the failed-handshake rate limit. */
  public void rateLimited() {
    rateLimited.increment();
  }

  /** Counts a refresh credential rotation. */
  public void credentialRotated() {
    refreshRotations.increment();
  }

  /** @return joins so far */
  public long joins() {
    return joins.sum();
  }

  /**
   * Gauges read at scrape time.
   *
   * @param certificateSecondsLeft seconds until the served certificate's notAfter
   * @param connectedPeers peers with an open control connection
   * @param registeredPeers peers registered
   * @param revocationVersion the revocation list's version
   * @param laggingPeers peers behind that version
   */
  public record Gauges(long certificateSecondsLeft, long connectedPeers, long registeredPeers,
      long revocationVersion, long laggingPeers) {}

  /** @return the exposition text */
  public String render(Gauges g) {
    StringBuilder out = new StringBuilder();
    gauge(out, "aura_tls_cert_not_after_seconds",
        "Seconds until the served TLS certificate's notAfter (alert below 30 * 86400).", g.certificateSecondsLeft());
    counter(out, "aura_joins_total", "Peers that joined with a join token.", joins.sum());
    out.append("# HELP aura_join_rejections_total Joins and refreshes refused, by reason.\n");
    out.append("# TYPE aura_join_rejections_total counter\n");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(rejections).entrySet()) {
      out.append("aura_join_rejections_total{reason=\"").append(e.getKey()).append("\"} ")
          .append(e.getValue().sum()).append('\n');
    }
    counter(out, "aura_tokens_issued_total", "Join tokens issued.", tokensIssued.sum());
    counter(out, "aura_handshakes_rate_limited_total",
        "Requests refused because their address failed too many handshakes.", rateLimited.sum());
    counter(out, "aura_refresh_rotations_total", "Refresh credentials rotated.", refreshRotations.sum());
    gauge(out, "aura_connected_peers", "Peers with an open control connection.", g.connectedPeers());
    gauge(out, "aura_registered_peers", "Peers registered with this Mothership.", g.registeredPeers());
    gauge(out, "aura_revocation_version", "Version of the revocation list.", g.revocationVersion());
    gauge(out, "aura_revocation_lagging_peers", "Peers that acknowledged an older revocation version.",
        g.laggingPeers());
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value).append('\n');
  }
}
