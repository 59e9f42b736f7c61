package dev.aura.sync.internal;

import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.database.SqlDatabase;
import dev.aura.sync.EventLog.AppendResult;
import dev.aura.sync.EventLog.Submitted;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
import dev.aura.sync.EventLogOptions;
import dev.aura.sync.EventLogStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: {@code workers} daemon threads ({@code aura-sync-commit-N}), each with a bounded queue. A
 * workspace always maps to the same worker, so its appends commit in submission order; a worker drains its
 * queue (up to {@code maxBatchEvents}) into one transaction, so concurrent appends share one commit and one
 * fsync. If a shared transaction fails, each append of it is retried alone, so one bad append fails alone.
 */
public final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  /** How long close() waits for a commit in progress before it closes the database under it. */
  private static final long CLOSE_GRACE_MILLIS = 10_000;

  private final SqlDatabase<EventLogException> database;
  private final EventLogOptions options;
  private final Clock clock;
  private final Worker[] workers;
  private final AtomicLong persisted = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final long[] recentLatencies = new long[EventLogStats.RECENT_COMMITS];
  private long lastLatencyNanos;
  private int recentCount;
  private int recentNext;

  /** Starts the worker threads. */
  public GroupCommitter(SqlDatabase<EventLogException> database, EventLogOptions options) {
    this.database = database;
    this.options = options;
    this.clock = options.clock();
    this.workers = new Worker[options.workers()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i + 1);
    }
    for (Worker worker : workers) {
      worker.thread.start();
    }
  }

  /** Queues an append on its workspace's worker; fails the future at once when closed or the backlog is full. */
  public CompletableFuture<List<AppendResult>> submit(WorkspaceName workspace, List<Submitted> events) {
    PendingAppend pending = new PendingAppend(workspace, List.copyOf(events), new CompletableFuture<>(),
        clock.instant());
    workers[Math.floorMod(workspace.value().hashCode(), workers.length)].submit(pending);
    return pending.future();
  }

  /** @return the current backlog and counters */
  public EventLogStats stats() {
    Instant now = clock.instant();
    long backlog = 0;
    Instant oldest = null;
    for (Worker worker : workers) {
      worker.lock.lock();
      try {
        backlog += worker.backlog;
        Instant first = worker.oldestSubmission();
        if (first != null && (oldest == null || first.isBefore(oldest))) {
          oldest = first;
        }
      } finally {
        worker.lock.unlock();
      }
    }
    Duration age = oldest == null || now.isBefore(oldest) ? Duration.ZERO : Duration.between(oldest, now);
    synchronized (recentLatencies) {
      long max = 0;
      for (int i = 0; i < recentCount; i++) {
        max = Math.max(max, recentLatencies[i]);
      }
      return new EventLogStats(backlog, persisted.get(), duplicates.get(), refused.get(), failed.get(),
          commits.get(), Duration.ofNanos(lastLatencyNanos), Duration.ofNanos(max), age);
    }
  }

  private void recordCommit(Duration latency, AppendTransaction.Outcome outcome) {
    commits.incrementAndGet();
    persisted.addAndGet(outcome.persisted());
    duplicates.addAndGet(outcome.duplicates());
    refused.addAndGet(outcome.refused());
    long nanos = Math.max(0, latency.toNanos());
    synchronized (recentLatencies) {
      lastLatencyNanos = nanos;
      recentLatencies[recentNext] = nanos;
      recentNext = (recentNext + 1) % recentLatencies.length;
      recentCount = Math.min(recentCount + 1, recentLatencies.length);
    }
  }

  private void fail(List<PendingAppend> batch, EventLogException e) {
    for (PendingAppend pending : batch) {
      if (pending.future().completeExceptionally(e)) {
        failed.addAndGet(pending.events().size());
      }
    }
  }

  /**
   * Stops accepting appends, fails the queued ones ({@link Reason#CLOSED}), and waits for the commits in
   * progress; if one does not finish within a grace period the database is closed under it and it fails
   * too. Never hangs. Idempotent.
   */
  @Override
  public void close() {
    for (Worker worker : workers) {
      worker.stopAccepting();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
    boolean stuck = false;
    for (Worker worker : workers) {
      stuck |= !join(worker.thread, deadline);
    }
    if (stuck) {
      LOG.warn("event log on {}: a commit did not finish within {} ms of close(); closing the database under it",
          database.url(), CLOSE_GRACE_MILLIS);
      database.close();
      long second = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS / 2);
      for (Worker worker : workers) {
        join(worker.thread, second);
      }
    }
    for (Worker worker : workers) {
      worker.failInFlight();
    }
  }

  private static boolean join(Thread thread, long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private static EventLogException closed(String detail) {
    return new EventLogException(Reason.CLOSED, detail);
  }

  private final class Worker implements Runnable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
    private final Thread thread;
    private List<PendingAppend> inFlight = List.of();
    private long backlog;
    private boolean closing;

    Worker(int number) {
      this.thread = new Thread(this, "aura-sync-commit-" + number);
      thread.setDaemon(true);
    }

    void submit(PendingAppend pending) {
      int size = pending.events().size();
      EventLogException refusal = null;
      lock.lock();
      try {
        if (closing) {
          refusal = closed("the append of " + size + " event(s) to workspace " + pending.workspace()
              + " was not accepted; re-send it to a running Mothership");
        } else if (backlog > 0 && backlog + size > options.maxQueuedEvents()) {
          refusal = new EventLogException(Reason.BACKLOG_FULL, backlog + " event(s) are waiting to be committed"
              + " on " + thread.getName() + " (limit " + options.maxQueuedEvents() + "); the append of " + size
              + " event(s) to workspace " + pending.workspace() + " was not queued: retry later");
        } else {
          queue.add(pending);
          backlog += size;
          notEmpty.signal();
        }
      } finally {
        lock.unlock();
      }
      if (refusal != null) {
        fail(List.of(pending), refusal);
      }
    }

    /** @return the submission time of the oldest append not yet durable; the caller holds the lock */
    Instant oldestSubmission() {
      if (!inFlight.isEmpty()) {
        return inFlight.get(0).submittedAt();
      }
      PendingAppend first = queue.peekFirst();
      return first == null ? null : first.submittedAt();
    }

    @Override
    public void run() {
      while (true) {
        List<PendingAppend> batch = new ArrayList<>();
        lock.lock();
        try {
          while (queue.isEmpty() && !closing) {
            notEmpty.awaitUninterruptibly();
          }
          if (closing) {
            return;
          }
          int events = 0;
          while (!queue.isEmpty()
              && (batch.isEmpty() || events + queue.peekFirst().events().size() <= options.maxBatchEvents())) {
            PendingAppend next = queue.pollFirst();
            batch.add(next);
            events += next.events().size();
          }
          inFlight = batch;
        } finally {
          lock.unlock();
        }
        // Futures complete after the backlog is updated, so a caller that saw its ack sees it in stats().
        List<Runnable> completions = new ArrayList<>();
        try {
          commit(batch, true, completions);
        } catch (RuntimeException e) {
          LOG.error("event log on {}: unexpected failure committing {} append(s)", database.url(), batch.size(), e);
          EventLogException failure = new EventLogException(Reason.IO, "committing to " + database.url()
              + " failed: " + e);
          completions.add(() -> fail(batch, failure));
        } finally {
          lock.lock();
          try {
            for (PendingAppend pending : batch) {
              backlog -= pending.events().size();
            }
            inFlight = List.of();
          } finally {
            lock.unlock();
          }
        }
        completions.forEach(Runnable::run);
      }
    }

    private void commit(List<PendingAppend> batch, boolean shared, List<Runnable> completions) {
      int events = batch.stream().mapToInt(p -> p.events().size()).sum();
      Instant start = clock.instant();
      AppendTransaction.Outcome outcome;
      try {
        outcome = database.write("committing " + events + " event(s)",
            c -> AppendTransaction.run(c, database.dialect(), options.maxFileSize(), clock.instant(), batch));
      } catch (EventLogException e) {
        if (shared && batch.size() > 1 && e.reason() != Reason.CLOSED && e.reason() != Reason.UNREACHABLE) {
          for (PendingAppend pending : batch) {
            commit(List.of(pending), false, completions);
          }
        } else {
          completions.add(() -> fail(batch, e));
        }
        return;
      }
      recordCommit(Duration.between(start, clock.instant()), outcome);
      for (PendingAppend pending : batch) {
        List<AppendResult> results = outcome.results().get(pending);
        completions.add(() -> pending.future().complete(results));
      }
    }

    void stopAccepting() {
      List<PendingAppend> dropped;
      lock.lock();
      try {
        closing = true;
        dropped = new ArrayList<>(queue);
        queue.clear();
        for (PendingAppend pending : dropped) {
          backlog -= pending.events().size();
        }
        notEmpty.signalAll();
      } finally {
        lock.unlock();
      }
      fail(dropped, closed("the log was closed before this append was committed; nothing of it was written:"
          + " re-send it (appends are idempotent)"));
    }

    void failInFlight() {
      List<PendingAppend> left;
      lock.lock();
      try {
        left = inFlight;
      } finally {
        lock.unlock();
      }
      fail(left, closed("the log was closed while this append was being committed; whether it was written is"
          + " unknown: re-send it (appends are idempotent)"));
    }
  }
}
