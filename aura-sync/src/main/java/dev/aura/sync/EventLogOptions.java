package dev.aura.sync;

import java.time.Clock;
import java.util.Objects;

/**
 * How an {@link EventLog} commits and what it accepts.
 *
 * <pre>{@code
 * EventLogOptions options = EventLogOptions.defaults().withMaxFileSize(16L << 20).withClock(clock);
 * }</pre>
 *
 * @param workers committer threads; a workspace always goes to the same one, so its events keep their
 *     submission order
 * @param maxBatchEvents the most events one worker commits in one transaction (an append is never split,
 *     so a larger single append is committed alone)
 * @param maxFileSize the largest file content accepted, in bytes: larger blobs are refused, as are file
 *     puts that declare a larger size
 * @param clock stamps {@link SyncEvent#persistedAt()} and measures backlog ages and commit latencies
 * @param maxQueuedEvents the most events a worker holds submitted but not yet durable; an append beyond
 *     that fails with {@link EventLogException.Reason#BACKLOG_FULL} instead of growing memory
 */
public record EventLogOptions(int workers, int maxBatchEvents, long maxFileSize, Clock clock,
    int maxQueuedEvents) {
  /** Default {@link #workers}: 2. */
  public static final int DEFAULT_WORKERS = 2;
  /** Default {@link #maxBatchEvents}: 1,000. */
  public static final int DEFAULT_MAX_BATCH_EVENTS = 1_000;
  /** Default {@link #maxFileSize}: 64 MiB. */
  public static final long DEFAULT_MAX_FILE_SIZE = 64L * 1024 * 1024;
  /** Default {@link #maxQueuedEvents}: 10,000 per worker. */
  public static final int DEFAULT_MAX_QUEUED_EVENTS = 10_000;
  /** Largest {@link #maxFileSize}: 1 GiB (SQLite's limit for one value is just below). */
  public static final long MAX_FILE_SIZE_LIMIT = 1L << 30;

  /** @throws IllegalArgumentException for a setting out of range */
  public EventLogOptions {
    Objects.requireNonNull(clock, "clock");
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers must be 1 to 64, got " + workers);
    }
    if (maxBatchEvents < 1) {
      throw new IllegalArgumentException("maxBatchEvents must be at least 1, got " + maxBatchEvents);
    }
    if (maxFileSize < 0 || maxFileSize > MAX_FILE_SIZE_LIMIT) {
      throw new IllegalArgumentException("maxFileSize must be 0 to " + MAX_FILE_SIZE_LIMIT + " bytes, got "
          + maxFileSize);
    }
    if (maxQueuedEvents < 1) {
      throw new IllegalArgumentException("maxQueuedEvents must be at least 1, got " + maxQueuedEvents);
    }
  }

  /** The given settings with the default {@link #maxQueuedEvents}. */
  public EventLogOptions(int workers, int maxBatchEvents, long maxFileSize, Clock clock) {
    this(workers, maxBatchEvents, maxFileSize, clock, DEFAULT_MAX_QUEUED_EVENTS);
  }

  /** @return 2 workers, batches of up to 1,000 events, 64 MiB files, 10,000 queued events, the UTC clock */
  public static EventLogOptions defaults() {
    return new EventLogOptions(DEFAULT_WORKERS, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_FILE_SIZE,
        Clock.systemUTC(), DEFAULT_MAX_QUEUED_EVENTS);
  }

  /** @return these options with another {@link #workers} */
  public EventLogOptions withWorkers(int value) {
    return new EventLogOptions(value, maxBatchEvents, maxFileSize, clock, maxQueuedEvents);
  }

  /** @return these options with another {@link #maxBatchEvents} */
  public EventLogOptions withMaxBatchEvents(int value) {
    return new EventLogOptions(workers, value, maxFileSize, clock, maxQueuedEvents);
  }

  /** @return these options with another {@link #maxFileSize} */
  public EventLogOptions withMaxFileSize(long value) {
    return new EventLogOptions(workers, maxBatchEvents, value, clock, maxQueuedEvents);
  }

  /** @return these options with another {@link #clock} */
  public EventLogOptions withClock(Clock value) {
    return new EventLogOptions(workers, maxBatchEvents, maxFileSize, value, maxQueuedEvents);
  }

  /** @return these options with another {@link #maxQueuedEvents} */
  public EventLogOptions withMaxQueuedEvents(int value) {
    return new EventLogOptions(workers, maxBatchEvents, maxFileSize, clock, value);
  }
}
