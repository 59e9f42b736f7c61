package dev.aura.sync;

import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.database.SqlDatabase;
import dev.aura.sync.EventLogException.Reason;
import dev.aura.sync.internal.BoundedContent;
import dev.aura.sync.internal.EventRows;
import dev.aura.sync.internal.GroupCommitter;
import dev.aura.sync.internal.LogOpener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Mothership's event log: per workspace, a gap-free sequence of persisted events, plus the content
 * blobs they reference. SQLite (one host) or PostgreSQL (several Motherships share it). Thread-safe.
 *
 * <pre>{@code
 * try (EventLog log = EventLog.open("sqlite:" + dataDir.resolve("events.db"), EventLogOptions.defaults())) {
 *   log.putBlob(workspace, hash, upload);                       // before the event that references it
 *   List<AppendResult> acks = log.append(workspace, List.of(new Submitted(id, change))).join();
 *   List<SyncEvent> page = log.read(workspace, lastApplied, 500); // what a resuming peer fetches
 * }
 * }</pre>
 *
 * <p>An append is acknowledged only once its commit is durable (SQLite {@code synchronous=FULL}, PostgreSQL
 * commit), so an acknowledged event is never lost; event ids make re-sending harmless. Each change is
 * resolved by {@link ConflictRule} against the path heads in the same transaction, so the outcome persisted
 * is the one every peer applies.
 *
 * <p>Schema: tables {@code sync_workspace_heads}, {@code sync_events}, {@code sync_path_heads} and
 * {@code sync_blobs}, migrated by Flyway with the history table {@code aura_sync_schema_history}. On
 * PostgreSQL they live beside the security store's tables in the same schema and leave those alone.
 *
 * <p><b>Warning.</b> The futures {@link #append} returns are completed on the committer threads: a dependent
 * action that blocks (a network send) must use the {@code ...Async} variants, or it stalls every workspace
 * on that committer.
 */
public final class EventLog implements AutoCloseable {
  private final SqlDatabase<EventLogException> database;
  private final EventLogOptions options;
  private final GroupCommitter committer;
  private volatile boolean closed;

  /** One change as a peer submitted it, with the id that makes re-sending it harmless. */
  public record Submitted(EventId id, Change change) {
    /** Checks for nulls. */
    public Submitted {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(change, "change");
    }
  }

  /** What became of one submitted event. */
  public sealed interface AppendResult permits Persisted, Refused {
    /** @return the submitted event's id */
    EventId id();
  }

  /**
   * The event is in the log.
   *
   * @param id its id
   * @param event as first persisted (its sequence, outcome and resolved change)
   * @param duplicate whether it had been persisted before this append (nothing new was written)
   */
  public record Persisted(EventId id, SyncEvent event, boolean duplicate) implements AppendResult {}

  /**
   * The event was not persisted; the others of the same append were handled on their own.
   *
   * @param id its id
   * @param code a stable code: {@code missing_content} (a file put whose blob is not in the workspace: upload
   *     it, then re-send), {@code too_large} (over the maximum file size), {@code size_mismatch} (the declared
   *     size is not the stored blob's), {@code unresolvable} (no conflict copy name fits)
   * @param message for the author's operator; names the event id, never the raw path
   */
  public record Refused(EventId id, String code, String message) implements AppendResult {}

  private EventLog(SqlDatabase<EventLogException> database, EventLogOptions options) {
    this.database = database;
    this.options = options;
    this.committer = new GroupCommitter(database, options);
  }

  /**
   * Opens (creating or migrating) the event log.
   *
   * @param url {@code sqlite:/abs/path/events.db} (created 0600, parent directories 0700; WAL with
   *     {@code synchronous=FULL}) or {@code postgresql://host:port/db?user=..&currentSchema=..}, the same forms
   *     as the security store's; a password in the URL never appears in a message
   * @throws EventLogException {@link Reason#CORRUPT} for a file that is not an SQLite database,
   *     {@link Reason#NEWER_SCHEMA} for a log written by a newer Aura, {@link Reason#FOREIGN_DATABASE} for
   *     sync tables that are not ours (all three left untouched), {@link Reason#UNREACHABLE},
   *     {@link Reason#UNSUPPORTED_URL}, {@link Reason#MIGRATION_FAILED}
   */
  public static EventLog open(String url, EventLogOptions options) throws EventLogException {
    Objects.requireNonNull(options, "options");
    return new EventLog(LogOpener.open(url, options.workers() + 4), options);
  }

  /**
   * Persists a batch of one author's changes, in order, atomically with whatever else is being committed
   * (group commit: concurrent appends share one transaction and one fsync). Completes only after the commit
   * is durable, with one result per submitted event, in order.
   *
   * <p>Idempotent: an event id persisted before completes as {@link Persisted} with the event as first
   * persisted (same sequence) and {@code duplicate} true, and nothing new is written. Each change is resolved
   * by {@link ConflictRule} against the path heads inside the same transaction. A file put whose blob is not
   * in the workspace is {@link Refused} ({@code missing_content}), as is one over the maximum file size
   * ({@code too_large}); a refusal of one event does not stop the others.
   *
   * @return a future that fails with an {@link EventLogException}: {@link Reason#BACKLOG_FULL} at once when
   *     too many events wait to be committed, {@link Reason#CLOSED} when the log is or gets closed first,
   *     {@link Reason#UNREACHABLE} or {@link Reason#IO} when the commit failed (nothing of it was written,
   *     or, if the connection broke during the commit, perhaps all of it: re-send)
   */
  public CompletableFuture<List<AppendResult>> append(WorkspaceName workspace, List<Submitted> events) {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(events, "events");
    events.forEach(e -> Objects.requireNonNull(e, "submitted event"));
    if (closed) {
      return CompletableFuture.failedFuture(new EventLogException(Reason.CLOSED, "the append of "
          + events.size() + " event(s) to workspace " + workspace + " was not accepted; re-send it to a"
          + " running Mothership"));
    }
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return committer.submit(workspace, events);
  }

  /**
   * @param afterSeq the last sequence the reader has (0 for everything)
   * @param limit the most events returned, at least 1
   * @return the workspace's events after {@code afterSeq}, in sequence order, at most {@code limit}; empty,
   *     not null, when there are none (or the workspace is unknown)
   */
  public List<SyncEvent> read(WorkspaceName workspace, long afterSeq, int limit) throws EventLogException {
    Objects.requireNonNull(workspace, "workspace");
    if (afterSeq < 0 || limit < 1) {
      throw new IllegalArgumentException("afterSeq must be at least 0 and limit at least 1, got " + afterSeq
          + " and " + limit);
    }
    return database.read("reading workspace " + workspace, c -> EventRows.read(c, workspace, afterSeq, limit));
  }

  /** @return the workspace's last sequence; 0 for an unknown workspace */
  public long head(WorkspaceName workspace) throws EventLogException {
    Objects.requireNonNull(workspace, "workspace");
    return database.read("reading the head of workspace " + workspace, c -> EventRows.head(c, workspace));
  }

  /** @return every workspace with at least one event and its last sequence, ordered by name */
  public Map<WorkspaceName, Long> heads() throws EventLogException {
    return database.read("reading the workspace heads", EventRows::heads);
  }

  /**
   * Stores content once per (workspace, hash). Verifies the SHA-256 and the size limit while reading
   * ({@code content} is read to its end, not closed; never more than one blob, bounded by
   * {@link EventLogOptions#maxFileSize()}, is held in memory); when the blob is stored already, returns at
   * once without reading.
   *
   * @throws EventLogException {@link Reason#BAD_CONTENT} when the content does not hash to {@code hash},
   *     {@link Reason#TOO_LARGE} as soon as it is over the limit; in both cases nothing is stored
   * @throws IOException when reading {@code content} fails (nothing is stored)
   */
  public void putBlob(WorkspaceName workspace, ContentHash hash, InputStream content)
      throws EventLogException, IOException {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(content, "content");
    if (hasBlob(workspace, hash)) {
      return;
    }
    BoundedContent verified = BoundedContent.read(workspace, hash, content, options.maxFileSize());
    database.write("storing blob " + hash.abbreviated() + " in workspace " + workspace, c -> {
      EventRows.insertBlob(c, workspace, hash, verified.data(), verified.length());
      return null;
    });
  }

  /** @return whether the workspace holds the content */
  public boolean hasBlob(WorkspaceName workspace, ContentHash hash) throws EventLogException {
    return blobSize(workspace, hash).isPresent();
  }

  /**
   * @return the content, verified when it was stored; empty when the workspace does not hold it. The stream
   *     is in memory (at most {@link EventLogOptions#maxFileSize()} bytes) and needs no closing.
   */
  public Optional<InputStream> openBlob(WorkspaceName workspace, ContentHash hash) throws EventLogException {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(hash, "hash");
    Optional<byte[]> data = database.read("reading blob " + hash.abbreviated() + " of workspace " + workspace,
        c -> EventRows.blobData(c, workspace, hash));
    return data.map(ByteArrayInputStream::new);
  }

  /** @return the content's size in bytes; empty when the workspace does not hold it */
  public Optional<Long> blobSize(WorkspaceName workspace, ContentHash hash) throws EventLogException {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(hash, "hash");
    return database.read("looking up blob " + hash.abbreviated() + " of workspace " + workspace,
        c -> EventRows.blobSize(c, workspace, hash));
  }

  /**
   * For status and health: events submitted but not yet durable (the backlog), persisted totals, commits,
   * last and recent-max commit latency, oldest waiting submission age. Never blocks on the database.
   */
  public EventLogStats stats() {
    return committer.stats();
  }

  /** @return where the log is, for messages: {@code sqlite:/path} or {@code postgresql://...}; never a password */
  public String location() {
    return database.url().toString();
  }

  /** @return {@code sqlite} or {@code postgresql} */
  public String databaseKind() {
    return database.dialect().kind();
  }

  /** @return the options the log was opened with */
  public EventLogOptions options() {
    return options;
  }

  /**
   * Closes the log: appends not yet in a commit fail with {@link Reason#CLOSED} ("event log closed"), commits
   * in progress finish (or, if the database does not answer within a grace period, fail too); later calls
   * fail with {@link Reason#CLOSED}. Never hangs. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    committer.close();
    database.close();
  }
}
