package dev.aura.sync;

import java.time.Duration;

/**
 * A snapshot of an {@link EventLog}'s commit pipeline in this process, for {@code aura mothership status}
 * and {@code /healthz}. Counts are since the log was opened; durations are measured with the log's clock.
 *
 * @param backlogEvents events submitted but not yet durable (queued or in a commit in progress): the
 *     {@code wal_behind} of the Mothership
 * @param persistedEvents events newly persisted
 * @param duplicateEvents submissions acknowledged again because their id was persisted before
 * @param refusedEvents submissions refused (missing content, too large, size mismatch)
 * @param failedEvents submissions that failed (database failure, full backlog, closed log)
 * @param commits transactions committed; fewer than the events they carried when group commit shares them
 * @param lastCommitLatency how long the last commit took, from the start of its transaction to the durable
 *     commit; zero before the first
 * @param recentMaxCommitLatency the longest of the last {@value #RECENT_COMMITS} commits; zero before the
 *     first
 * @param oldestWaitingAge how long the oldest submission not yet durable has been waiting; zero when none
 */
public record EventLogStats(long backlogEvents, long persistedEvents, long duplicateEvents, long refusedEvents,
    long failedEvents, long commits, Duration lastCommitLatency, Duration recentMaxCommitLatency,
    Duration oldestWaitingAge) {
  /** How many recent commits {@link #recentMaxCommitLatency} covers. */
  public static final int RECENT_COMMITS = 100;
}
