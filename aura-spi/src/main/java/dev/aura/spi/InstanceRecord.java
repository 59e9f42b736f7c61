package dev.aura.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One running instance of a Mothership, as it last reported itself to the {@link InstanceRegistry}.
 *
 * @param instanceId a random id chosen at start, unique per process
 * @param advertisedUrl where peers reach this instance, {@code https://host:port}
 * @param startedAt when the instance started, by its clock
 * @param heartbeatAt when it last reported, by its clock
 * @param connectedPeers the peers connected to it at that report
 * @param version the Aura version it runs
 */
public record InstanceRecord(String instanceId, String advertisedUrl, Instant startedAt, Instant heartbeatAt,
    int connectedPeers, String version) {
  /** How many heartbeat intervals may pass before an instance counts as stale. */
  public static final int STALE_AFTER_INTERVALS = 3;

  /** Checks nulls and ranges. */
  public InstanceRecord {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(advertisedUrl, "advertisedUrl");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    Objects.requireNonNull(version, "version");
    if (instanceId.isBlank() || instanceId.length() > 64) {
      throw new IllegalArgumentException("instance id must be 1 to 64 characters, got '" + instanceId + "'");
    }
    if (connectedPeers < 0) {
      throw new IllegalArgumentException("connectedPeers must be >= 0, got " + connectedPeers);
    }
  }

  /**
   * @param now the reader's clock
   * @param interval the heartbeat interval
   * @return whether the last heartbeat is older than {@value #STALE_AFTER_INTERVALS} intervals at {@code now}
   *     (exactly three intervals old is not stale yet)
   */
  public boolean isStale(Instant now, Duration interval) {
    return heartbeatAt.plus(interval.multipliedBy(STALE_AFTER_INTERVALS)).isBefore(now);
  }

  /** @return this record with a new heartbeat and peer count */
  public InstanceRecord beat(Instant at, int peers) {
    return new InstanceRecord(instanceId, advertisedUrl, startedAt, at, peers, version);
  }
}
