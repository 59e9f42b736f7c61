package dev.aura.sync;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.internal.BindingRow;
import dev.aura.sync.internal.DiskEntry;
import dev.aura.sync.internal.EntryRow;
import dev.aura.sync.internal.Failures;
import dev.aura.sync.internal.Observed;
import dev.aura.sync.internal.PeerSql;
import dev.aura.sync.internal.SafeTree;
import dev.aura.sync.internal.SafeTree.UnsafePathException;
import dev.aura.sync.internal.TreeScanner;
import dev.aura.sync.internal.WalRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One directory bound to one workspace of the Mothership, for one peer: records local changes in the WAL of
 * a {@link PeerSyncStore} and applies the workspace's events to the directory.
 *
 * <pre>{@code
 * Replica replica = Replica.open(store, dir, WorkspaceName.parse("widget"), me, 64L << 20, Clock.systemUTC());
 * replica.scan();                                          // local edits -> WAL (durable)
 * for (PendingEvent p : replica.pending(100)) {
 *   long seq = upload(p, replica.content(p.change().hash()));   // the Mothership persisted it
 *   replica.acknowledged(p.id(), seq);
 * }
 * for (SyncEvent e : eventsAfter(replica.appliedSeq())) {
 *   replica.apply(e, (workspace, hash) -> fetchBlob(workspace, hash));
 * }
 * }</pre>
 *
 * <p>Scanning skips {@code .aura/} and {@code .git/} at any depth, what {@code .auraignore} files say
 * (gitignore syntax; one per directory, for its subtree), files above {@code maxFileSize} (with a message)
 * and directories as such (as in Git). Symlinks are synced as links, never followed.
 *
 * <p>Applying never writes outside the directory nor through a symlink, never inside {@code .git/} or
 * {@code .aura/}, and never overwrites a local edit that is pending or not yet scanned: the Mothership
 * resolves that conflict once the edit is uploaded. A change's {@code basedOn} is the sequence of the version
 * the local content derives from, so an edit made while a remote version was deferred is seen as concurrent.
 *
 * <p>Not thread-safe: one sync loop owns a replica. Warning: a directory is bound to one workspace and one
 * peer for good; {@link #open} refuses another pairing.
 */
public final class Replica implements AutoCloseable {
  private static final int BATCH_EVENTS = 256;
  private static final long BATCH_BYTES = 32L * 1024 * 1024;
  private static final int MAX_REFUSAL_MESSAGE = 1000;
  private static final String MARKER = "replica";

  private final PeerSyncStore store;
  private final Path root;
  private final WorkspaceName workspace;
  private final PeerId me;
  private final long maxFileSize;
  private final Clock clock;
  private final long binding;
  private final Path tmp;
  private final SafeTree tree;
  /** Test hook: runs after an event's file operations, before its commit (a crash there must be harmless). */
  Runnable beforeApplyCommit = () -> {};

  private Replica(PeerSyncStore store, Path root, WorkspaceName workspace, PeerId me, long maxFileSize, Clock clock,
      long binding, Path tmp) {
    this.store = store;
    this.root = root;
    this.workspace = workspace;
    this.me = me;
    this.maxFileSize = maxFileSize;
    this.clock = clock;
    this.binding = binding;
    this.tmp = tmp;
    this.tree = new SafeTree(root, tmp);
  }

  /**
   * Binds {@code directory} (it must exist) to {@code workspace} for peer {@code me}, or re-opens that binding.
   *
   * @param maxFileSize files larger than this many bytes are not synced ({@code [sync] max_file_size})
   * @throws SyncStoreException {@link SyncStoreException.Reason#BINDING_MISMATCH} when the directory is bound
   *     to another workspace or by another peer id
   * @throws IOException when the directory is missing or {@code .aura/} cannot be prepared
   */
  public static Replica open(PeerSyncStore store, Path directory, WorkspaceName workspace, PeerId me,
      long maxFileSize, Clock clock) throws SyncStoreException, IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(me, "me");
    Objects.requireNonNull(clock, "clock");
    if (maxFileSize < 1) {
      throw new IllegalArgumentException("maxFileSize must be at least 1 byte, got " + maxFileSize);
    }
    Path root = directory.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new NotDirectoryException(root.toString());
    }
    Path aura = privateDirectory(root.resolve(".aura"));
    Path tmp = privateDirectory(aura.resolve("tmp"));
    Path marker = aura.resolve(MARKER);
    String expected = "workspace=" + workspace.value() + "\npeer=" + me.value() + "\n";
    if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      String found = Files.readString(marker, StandardCharsets.UTF_8);
      if (!found.equals(expected)) {
        throw new SyncStoreException(SyncStoreException.Reason.BINDING_MISMATCH, root + " is bound to "
            + describeMarker(found) + " (per " + marker + "); it cannot also sync workspace '" + workspace
            + "' as " + me + ": use another directory, or delete its .aura/ directory to unbind it");
      }
    }
    String key = root.toString();
    long id = store.inTransaction("binding " + root, c -> {
      Optional<BindingRow> bound = PeerSql.binding(c, key);
      if (bound.isPresent()) {
        BindingRow b = bound.get();
        if (!b.workspace().equals(workspace) || !b.peer().equals(me)) {
          throw new SyncStoreException(SyncStoreException.Reason.BINDING_MISMATCH, root + " is bound to"
              + " workspace '" + b.workspace() + "' as " + b.peer() + " in " + store.file() + "; it cannot also"
              + " sync workspace '" + workspace + "' as " + me + ": use another directory");
        }
        return b.id();
      }
      return PeerSql.insertBinding(c, key, workspace, me, clock.instant());
    });
    if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      Files.writeString(marker, expected, StandardCharsets.UTF_8);
    }
    removeLeftovers(tmp);
    return new Replica(store, root, workspace, me, maxFileSize, clock, id, tmp);
  }

  private static String describeMarker(String marker) {
    String ws = "?";
    String peer = "?";
    for (String line : marker.split("\n")) {
      if (line.startsWith("workspace=")) {
        ws = line.substring(10);
      } else if (line.startsWith("peer=")) {
        peer = line.substring(5);
      }
    }
    return "workspace '" + ws.replaceAll("[^a-z0-9._-]", "?") + "' as " + peer.replaceAll("[^a-z0-9_]", "?");
  }

  private static Path privateDirectory(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir) || (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir,
        LinkOption.NOFOLLOW_LINKS))) {
      throw new IOException(dir + " must be a directory (not a symlink or a file): move it aside");
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return dir;
  }

  private static void removeLeftovers(Path tmp) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp)) {
      for (Path leftover : stream) {
        if (!Files.isDirectory(leftover, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(leftover);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------ scan

  /**
   * Records every local change since the last scan as a WAL event, durably (committed with
   * {@code synchronous=FULL}) before it returns; a large scan commits in batches of a few hundred events.
   *
   * @throws SyncStoreException {@code DISK_FULL} when the WAL cannot grow: the batch being written is not
   *     recorded, earlier batches stay, and the next scan records the rest
   */
  public ScanReport scan() throws SyncStoreException, IOException {
    Instant now = clock.instant();
    long stamp = fileSystemNow();
    TreeScanner walk;
    try {
      walk = TreeScanner.walk(root, maxFileSize);
    } catch (IOException e) {
      throw Failures.io(e, root, "scanning it");
    }
    Map<SyncPath, EntryRow> index = store.read("reading the index", c -> PeerSql.entries(c, binding));
    List<String> skipped = new ArrayList<>(walk.skipped());
    Set<SyncPath> seen = new HashSet<>();
    walk.found().forEach(f -> seen.add(f.path()));
    Batch batch = new Batch();

    for (EntryRow row : index.values()) {
      if (row.observed() != null && !seen.contains(row.path()) && !stillThere(row.path())) {
        batch.record(Change.delete(row.path(), row.observed().kind(), row.baseSeq(), now), null, null);
      }
    }
    for (TreeScanner.Found f : walk.found()) {
      EntryRow row = index.get(f.path());
      Observed last = row == null ? null : row.observed();
      long base = row == null ? 0 : row.baseSeq();
      DiskEntry disk = f.disk();
      if (disk.type() == DiskEntry.Type.SYMLINK) {
        if (disk.statMatches(last)) {
          continue;
        }
        Change put;
        try {
          put = Change.putSymlink(f.path(), disk.linkTarget(), base, now);
        } catch (IllegalArgumentException e) {
          skipped.add(f.path() + ": symlink target not syncable (" + e.getMessage() + "): not synced");
          continue;
        }
        batch.record(put, null, new Observed(Change.EntryKind.SYMLINK, 0, 0, false, null, disk.linkTarget(), false));
        continue;
      }
      if (disk.statMatches(last) && !last.racy()) {
        continue;
      }
      byte[] content;
      try {
        content = readUpTo(f.file(), maxFileSize);
      } catch (NoSuchFileException vanished) {
        continue;
      } catch (IOException e) {
        skipped.add(f.path() + ": could not be read (" + Failures.describe(e) + "): not synced");
        continue;
      }
      if (content == null) {
        skipped.add(f.path() + " grew larger than [sync] max_file_size (" + TreeScanner.limit(maxFileSize)
            + ") while it was read: not synced");
        continue;
      }
      ContentHash hash = ContentHash.of(content);
      boolean racy = disk.mtimeNanos() >= stamp || content.length != disk.size();
      Observed seenNow = new Observed(Change.EntryKind.FILE, disk.size(), disk.mtimeNanos(), disk.executable(),
          hash, null, racy);
      if (last != null && last.kind() == Change.EntryKind.FILE && hash.equals(last.hash())
          && disk.executable() == last.executable()) {
        batch.observe(f.path(), seenNow);
      } else {
        batch.record(Change.putFile(f.path(), hash, content.length, disk.executable(), base, now), content, seenNow);
      }
    }
    batch.flush();
    return new ScanReport(batch.recorded, skipped);
  }

  /** A path last seen as a file or symlink that the walk did not list: still there if ignored or too big. */
  private boolean stillThere(SyncPath path) throws IOException {
    try {
      DiskEntry disk = tree.stat(path);
      return disk != null && disk.type() != DiskEntry.Type.DIRECTORY;
    } catch (UnsafePathException brokenParent) {
      return false;
    }
  }

  /** @return the file system's current time (the mtime of a file written now), as Git uses its index's mtime */
  private long fileSystemNow() throws SyncStoreException {
    Path stamp = tmp.resolve("scan-stamp");
    try {
      Files.write(stamp, new byte[] {1}, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      FileTime time = Files.getLastModifiedTime(stamp, LinkOption.NOFOLLOW_LINKS);
      return time.to(TimeUnit.NANOSECONDS);
    } catch (IOException e) {
      throw Failures.io(e, stamp, "starting a scan");
    }
  }

  private static byte[] readUpTo(Path file, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] content = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 16));
      return in.read() < 0 ? content : null;
    }
  }

  /** Local changes waiting to be committed together. */
  private final class Batch {
    private record Item(SyncPath path, Change change, byte[] content, Observed observed) {}

    private final List<Item> items = new ArrayList<>();
    private final List<PendingEvent> recorded = new ArrayList<>();
    private long bytes;

    void record(Change change, byte[] content, Observed observed) throws SyncStoreException {
      add(new Item(change.path(), change, content, observed));
    }

    void observe(SyncPath path, Observed observed) throws SyncStoreException {
      add(new Item(path, null, null, observed));
    }

    private void add(Item item) throws SyncStoreException {
      items.add(item);
      bytes += item.content() == null ? 0 : item.content().length;
      if (items.size() >= BATCH_EVENTS || bytes >= BATCH_BYTES) {
        flush();
      }
    }

    void flush() throws SyncStoreException {
      if (items.isEmpty()) {
        return;
      }
      Instant at = clock.instant();
      List<PendingEvent> done = store.inTransaction("recording local changes", c -> {
        List<PendingEvent> events = new ArrayList<>();
        for (Item item : items) {
          if (item.change() != null) {
            long seq = PeerSql.reserveLocalSeq(c, binding);
            PeerSql.insertWal(c, binding, seq, item.change(), item.content(), at);
            events.add(new PendingEvent(new EventId(me, seq), item.change()));
          }
          PeerSql.setObserved(c, binding, item.path(), item.observed());
        }
        return events;
      });
      recorded.addAll(done);
      items.clear();
      bytes = 0;
    }
  }

  // ------------------------------------------------------------------------------------------ WAL

  /** @return up to {@code limit} events waiting for an acknowledgement (not refused), oldest first */
  public List<PendingEvent> pending(int limit) throws SyncStoreException {
    return pendingAfter(0, limit);
  }

  /**
   * @return up to {@code limit} events waiting for an acknowledgement (not refused) recorded after the WAL
   *     position {@code localSeq} ({@link EventId#localSeq()}), oldest first: what a sender has not sent yet
   */
  public List<PendingEvent> pendingAfter(long localSeq, int limit) throws SyncStoreException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return store.read("reading the WAL", c -> {
      List<PendingEvent> out = new ArrayList<>();
      for (WalRow row : PeerSql.walRowsAfter(c, binding, WalRow.PENDING, localSeq, limit)) {
        out.add(new PendingEvent(new EventId(me, row.localSeq()), row.change()));
      }
      return out;
    });
  }

  /**
   * @return the content a WAL event of this replica carries for {@code hash} (kept there so that a later edit
   *     of the file cannot lose it); empty when no event in the WAL carries it
   */
  public Optional<byte[]> content(ContentHash hash) throws SyncStoreException {
    Objects.requireNonNull(hash, "hash");
    return Optional.ofNullable(store.read("reading the WAL", c -> PeerSql.content(c, binding, hash)));
  }

  /**
   * Content this replica can hand to another peer: from a WAL event that carries it, else from a regular file
   * of the tree the index last saw with that hash, read again and served only if it still hashes to
   * {@code hash} (a file edited since is not served). Safe from any thread; never follows a link.
   *
   * @param hash the content wanted
   * @param maxBytes the largest content returned
   * @return the content, verified against {@code hash}; empty when this replica has no copy
   */
  public Optional<byte[]> localContent(ContentHash hash, long maxBytes) throws SyncStoreException {
    Optional<byte[]> wal = content(hash);
    if (wal.isPresent()) {
      return wal;
    }
    Map<SyncPath, EntryRow> index = store.read("reading the index", c -> PeerSql.entries(c, binding));
    for (EntryRow row : index.values()) {
      Observed o = row.observed();
      if (o == null || o.kind() != Change.EntryKind.FILE || !hash.equals(o.hash()) || o.size() > maxBytes) {
        continue;
      }
      Path file = row.path().resolveAgainst(root);
      try {
        if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        if (ContentHash.of(bytes).equals(hash)) {
          return Optional.of(bytes);
        }
      } catch (IOException e) {
        // gone or unreadable since the scan: try another path
      }
    }
    return Optional.empty();
  }

  /** @return the largest file this replica records or applies ({@code [sync] max_file_size}) */
  public long maxFileSize() {
    return maxFileSize;
  }

  /**
   * Part of content this replica can hand to another peer, for content too large for one message: from a WAL
   * event that carries it (only the range is read), else from a regular file of the tree the index last saw
   * with that hash. Not verified here (a file edited since is read as it is now): the receiver checks the whole
   * content against its hash. Safe from any thread; never follows a link.
   *
   * @param hash the content wanted
   * @param offset where the range starts (0-based)
   * @param length the most bytes returned (fewer at the end)
   * @return the range; empty when this replica has no copy, or {@code offset} is past its end
   */
  public Optional<byte[]> localContentRange(ContentHash hash, long offset, int length) throws SyncStoreException {
    Objects.requireNonNull(hash, "hash");
    if (offset < 0 || length < 1) {
      throw new IllegalArgumentException("range " + offset + "+" + length + " is not a range");
    }
    byte[] wal = store.read("reading the WAL", c -> PeerSql.contentRange(c, binding, hash, offset, length));
    if (wal != null) {
      return wal.length == 0 ? Optional.empty() : Optional.of(wal);
    }
    Map<SyncPath, EntryRow> index = store.read("reading the index", c -> PeerSql.entries(c, binding));
    for (EntryRow row : index.values()) {
      Observed o = row.observed();
      if (o == null || o.kind() != Change.EntryKind.FILE || !hash.equals(o.hash()) || offset >= o.size()) {
        continue;
      }
      Path file = row.path().resolveAgainst(root);
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
          java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            || ch.size() != o.size()) {
          continue;
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(length, o.size() - offset));
        while (buffer.hasRemaining() && ch.read(buffer, offset + buffer.position()) > 0) {
          // keep reading
        }
        return Optional.of(java.util.Arrays.copyOf(buffer.array(), buffer.position()));
      } catch (IOException e) {
        // gone or unreadable since the scan: try another path
      }
    }
    return Optional.empty();
  }

  /**
   * The Mothership persisted the event as {@code seq}: removes it from the WAL (the index keeps {@code seq}, so
   * that older events of others arriving later do not overwrite that edit). Idempotent.
   */
  public void acknowledged(EventId id, long seq) throws SyncStoreException {
    requireMine(id);
    if (seq < 1) {
      throw new IllegalArgumentException("sequence must be at least 1, got " + seq);
    }
    Instant at = clock.instant();
    store.inTransaction("recording an acknowledgement", c -> {
      Optional<WalRow> row = PeerSql.walRow(c, binding, id.localSeq());
      if (row.isPresent()) {
        PeerSql.setAckedSeq(c, binding, row.get().change().path(), seq);
      }
      PeerSql.deleteWal(c, binding, id.localSeq());
      PeerSql.setLastAck(c, binding, at);
      return null;
    });
  }

  /**
   * The Mothership refused the event (for example: this peer is read-only): it stays in the WAL as REFUSED,
   * is never sent again and shows in {@link #walStatus()}. Idempotent; an unknown or acknowledged id is ignored.
   */
  public void refused(EventId id, String code, String message) throws SyncStoreException {
    requireMine(id);
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    String safeCode = printable(code, 64);
    String safeMessage = printable(message, MAX_REFUSAL_MESSAGE);
    Instant at = clock.instant();
    store.inTransaction("recording a refusal", c -> PeerSql.markRefused(c, binding, id.localSeq(), safeCode,
        safeMessage, at));
  }

  private void requireMine(EventId id) {
    Objects.requireNonNull(id, "id");
    if (!id.author().equals(me)) {
      throw new IllegalArgumentException("event " + id + " is not this replica's (" + me + ")");
    }
  }

  private static String printable(String s, int max) {
    String clean = s.replaceAll("[\\p{Cntrl}&&[^\\t]]", "?");
    return clean.length() <= max ? clean : clean.substring(0, max) + "...";
  }

  /** @return the last workspace sequence applied to the directory, 0 before the first */
  public long appliedSeq() throws SyncStoreException {
    return store.read("reading the applied sequence", c -> PeerSql.appliedSeq(c, binding));
  }

  /** @return the state of this binding's WAL */
  public WalStatus walStatus() throws SyncStoreException {
    return store.read("reading the WAL status", c -> walStatus(c, new BindingRow(binding, root.toString(),
        workspace, me, 0, lastAck(c))));
  }

  private Instant lastAck(Connection c) throws SQLException {
    return PeerSql.binding(c, root.toString()).map(BindingRow::lastAck).orElse(null);
  }

  static WalStatus walStatus(Connection c, BindingRow b) throws SQLException {
    PeerSql.WalStats stats = PeerSql.walStats(c, b.id());
    List<RefusedEvent> refused = new ArrayList<>();
    for (WalRow row : PeerSql.walRows(c, b.id(), WalRow.REFUSED, Integer.MAX_VALUE)) {
      refused.add(new RefusedEvent(new EventId(b.peer(), row.localSeq()), row.change().path(), row.change().op(),
          row.refusedCode(), row.refusedMessage(), row.refusedAt()));
    }
    return new WalStatus(Path.of(b.directory()), b.workspace(), stats.unacked(), stats.bytes(),
        Optional.ofNullable(stats.oldestUnacked()), Optional.ofNullable(b.lastAck()), refused);
  }

  // ------------------------------------------------------------------------------------------ apply

  /** One index update of an event, committed with the applied sequence. */
  private interface Step {
    void run(Connection c) throws SQLException;
  }

  /** What applying one event did so far, and the index updates to commit. */
  private static final class Applying {
    final long seq;
    final List<SyncPath> written = new ArrayList<>();
    final List<SyncPath> removed = new ArrayList<>();
    final List<SyncPath> deferred = new ArrayList<>();
    final List<SyncPath> copies = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<Step> steps = new ArrayList<>();

    Applying(long seq) {
      this.seq = seq;
    }

    ApplyResult result() {
      return new ApplyResult(seq, false, written, removed, deferred, copies, skipped);
    }
  }

  /**
   * Applies the next event of the workspace to the directory. Idempotent: an event at or below
   * {@link #appliedSeq()} does nothing. The file operations come first, then the index and the applied
   * sequence commit in one transaction, so a crash between the two re-applies harmlessly.
   *
   * @param blobs where another peer's file content comes from (verified against the event's hash and size)
   * @throws IllegalArgumentException when the event is of another workspace or skips a sequence
   * @throws IOException when content cannot be fetched or does not match its hash (nothing is written, the
   *     applied sequence does not move: retry)
   * @throws SyncStoreException {@code DISK_FULL} when the disk is full (temp files removed, nothing applied)
   */
  public ApplyResult apply(SyncEvent event, BlobSource blobs) throws SyncStoreException, IOException {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(blobs, "blobs");
    if (!event.workspace().equals(workspace)) {
      throw new IllegalArgumentException("event " + event.seq() + " is of workspace '" + event.workspace()
          + "', this directory syncs '" + workspace + "'");
    }
    long applied = appliedSeq();
    if (event.seq() <= applied) {
      return new ApplyResult(event.seq(), true, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    if (event.seq() != applied + 1) {
      throw new IllegalArgumentException("event " + event.seq() + " does not follow the applied sequence "
          + applied + ": apply the workspace's events in order, from " + (applied + 1));
    }
    Applying run = new Applying(event.seq());
    try {
      if (reserved(event.path()) || (event.conflictOf() != null && reserved(event.conflictOf()))) {
        run.skipped.add(describe(event) + ": Aura never writes inside .git/ or .aura/: skipped");
      } else if (event.author().equals(me)) {
        applyOwn(event, blobs, run);
      } else {
        applyRemote(event, blobs, run);
      }
    } catch (UnsafePathException e) {
      run.skipped.add(describe(event) + ": " + e.getMessage() + ": skipped");
    } catch (IOException e) {
      if (Failures.isNoSpace(e)) {
        throw Failures.io(e, root, "applying event " + event.seq());
      }
      throw e;
    }
    beforeApplyCommit.run();
    store.inTransaction("applying event " + event.seq(), c -> {
      for (Step step : run.steps) {
        step.run(c);
      }
      PeerSql.setAppliedSeq(c, binding, event.seq());
      return null;
    });
    return run.result();
  }

  /**
   * Applies another peer's change that the Mothership has not sequenced yet (it came directly from its author
   * while the Mothership was unreachable), provisionally: the file is written and the index records what is now
   * on disk, so that the next {@link #scan} does not take it for a local edit, but the applied sequence, the
   * path's head and its base do not move. When the Mothership later relays the author's sequenced event,
   * {@link #apply} finds the disk already holding it and only records it (nothing written twice); when the
   * Mothership's order differs (another change of the path sequenced first), {@link #apply} overwrites the
   * provisional version as it would any clean file, and the author's change arrives as the conflict copy the
   * Mothership made of it, so every peer converges on the Mothership's tree.
   *
   * <p>Two edits of one file before the Mothership orders them (this peer's own edit of the path is recorded,
   * and the other peer's is a file put with other content): the other version is written as a <em>provisional
   * conflict copy</em> beside it ({@link ConflictRule#copyName}, reported in {@link ApplyResult#conflictCopies}),
   * so that both users see the conflict at once. The Mothership's order wins when it comes: if this peer's edit
   * is persisted first, the other one's conflict copy is the very file already here; if the other edit is,
   * {@link #apply} of it removes the provisional copy (still as written) and this peer's edit becomes the
   * conflict copy, as on every peer.
   *
   * <p>Not applied (reported as deferred; the author's WAL keeps the change, so nothing is lost): a path with a
   * local edit that is not scanned yet, a deletion or symlink against a local edit, a change made without
   * having seen the path's current head (concurrent: the Mothership decides), a directory in the way.
   *
   * <p>Crash: the file is written before the index commits. Received again, the change is only recorded; a
   * scan that runs first takes the file for this peer's own put of the same content, which the Mothership
   * then persists as a second event leaving the same entry (no conflict copy, nothing lost).
   *
   * @param id the change's event id in its author's WAL (never this peer's)
   * @param change the change
   * @param content the file's content for a file put (verified against the change's hash and size); else null
   * @return what was done; {@link ApplyResult#seq()} is 0
   * @throws IllegalArgumentException when {@code id} is this peer's own, or content is missing or too large
   * @throws IOException when the content does not match its hash (nothing written)
   * @throws SyncStoreException {@code DISK_FULL} when the disk is full (nothing applied)
   */
  public ApplyResult applyProvisional(EventId id, Change change, byte[] content) throws SyncStoreException,
      IOException {
    return applyProvisional(id, change, content == null ? null : () -> new ByteArrayInputStream(content));
  }

  /**
   * {@link #applyProvisional(EventId, Change, byte[])} with the content in a file (read as a stream, so memory
   * stays bounded whatever its size; verified against the change's hash as it is written).
   *
   * @param contentFile the file's content for a file put; else null
   */
  public ApplyResult applyProvisional(EventId id, Change change, Path contentFile) throws SyncStoreException,
      IOException {
    return applyProvisional(id, change, contentFile == null ? null : () -> java.nio.file.Files.newInputStream(
        contentFile));
  }

  private ApplyResult applyProvisional(EventId id, Change change, Content source) throws SyncStoreException,
      IOException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    if (id.author().equals(me)) {
      throw new IllegalArgumentException(id + " is this peer's own event");
    }
    boolean file = change.op() == Change.Op.PUT && change.kind() == Change.EntryKind.FILE;
    if (file && (source == null || change.size() > maxFileSize)) {
      throw new IllegalArgumentException(change.path() + ": " + (source == null ? "no content"
          : "larger than [sync] max_file_size (" + TreeScanner.limit(maxFileSize) + ")"));
    }
    Applying run = new Applying(0);
    SyncPath path = change.path();
    try {
      if (reserved(path)) {
        run.skipped.add(id + " for " + path + ": Aura never writes inside .git/ or .aura/: skipped");
      } else {
        provisional(id, change, file ? source : () -> null, run);
      }
    } catch (UnsafePathException e) {
      run.skipped.add(id + " for " + path + ": " + e.getMessage() + ": skipped");
    } catch (IOException e) {
      if (Failures.isNoSpace(e)) {
        throw Failures.io(e, root, "applying " + id);
      }
      throw e;
    }
    beforeApplyCommit.run();
    store.inTransaction("applying " + id + " provisionally", c -> {
      for (Step step : run.steps) {
        step.run(c);
      }
      return null;
    });
    return run.result();
  }

  private void provisional(EventId id, Change change, Content content, Applying run)
      throws UnsafePathException, IOException, SyncStoreException {
    SyncPath path = change.path();
    EntryRow row = entry(path);
    DiskEntry disk = tree.stat(path);
    boolean localEdit = !unresolved(path).isEmpty();
    if (!localEdit && change.op() == Change.Op.PUT && tree.holds(path, disk, change)) {
      Observed held = held(disk, change); // received twice, or a crash before the index recorded the write
      run.steps.add(c -> PeerSql.setObserved(c, binding, path, held));
      return;
    }
    if (!localEdit && change.op() == Change.Op.DELETE && disk == null) {
      run.steps.add(c -> PeerSql.setObserved(c, binding, path, null));
      return;
    }
    if (localEdit && change.op() == Change.Op.PUT && change.kind() == Change.EntryKind.FILE
        && disk != null && disk.type() == DiskEntry.Type.FILE) {
      if (!tree.holds(path, disk, change)) { // the same content both ways is no conflict
        provisionalCopy(id, change, content, run);
      }
      return;
    }
    boolean concurrent = row.head() != null && !ConflictRule.seen(id, change, row.head());
    if (concurrent || localEdit || !clean(path, disk, row.observed())
        || disk != null && disk.type() == DiskEntry.Type.DIRECTORY) {
      run.deferred.add(path);
      return;
    }
    if (change.op() == Change.Op.DELETE) {
      if (tree.delete(path)) {
        run.removed.add(path);
      }
      run.steps.add(c -> PeerSql.setObserved(c, binding, path, null));
    } else {
      write(path, change, content, run);
    }
  }

  /**
   * Another peer's edit of a path this peer edited too, before the Mothership ordered them: both users see the
   * conflict at once. The other version goes where the Mothership would put it if this peer's edit were
   * persisted first ({@link ConflictRule#copyName}: its author and time), this peer's stays at the path. When
   * the Mothership orders them, the copy is its conflict copy (recorded, nothing written) or, if the other edit
   * won, dropped by {@link #dropProvisionalCopy} while this peer's edit becomes the conflict copy.
   */
  private void provisionalCopy(EventId id, Change change, Content content, Applying run)
      throws UnsafePathException, IOException, SyncStoreException {
    SyncPath copy = ConflictRule.copyName(change.path(), id.author(), change);
    Change atCopy = change.at(copy);
    DiskEntry disk = tree.stat(copy);
    if (tree.holds(copy, disk, atCopy)) {
      Observed held = held(disk, atCopy); // received twice
      run.steps.add(c -> PeerSql.setObserved(c, binding, copy, held));
      return;
    }
    if (disk != null || entry(copy).head() != null || !unresolved(copy).isEmpty()) {
      run.deferred.add(change.path());
      return;
    }
    write(copy, atCopy, content, run);
    run.copies.add(copy);
  }

  /**
   * A sequenced event that took effect at its path: a provisional conflict copy made of it here is now a
   * duplicate of that path's version, so it goes, if it is still exactly as written (never sequenced, not
   * this peer's edit, unchanged on disk).
   */
  private void dropProvisionalCopy(SyncEvent e, Applying run) throws UnsafePathException, IOException,
      SyncStoreException {
    Change change = e.change();
    if (e.outcome() != SyncEvent.Outcome.APPLIED || e.conflictOf() != null || change.op() != Change.Op.PUT
        || change.kind() != Change.EntryKind.FILE) {
      return;
    }
    SyncPath copy = ConflictRule.copyName(change.path(), e.author(), change);
    EntryRow row = entry(copy);
    if (row.observed() == null || row.head() != null || !unresolved(copy).isEmpty()) {
      return;
    }
    DiskEntry disk = tree.stat(copy);
    if (disk == null || !tree.holds(copy, disk, change.at(copy)) || !clean(copy, disk, row.observed())) {
      return;
    }
    if (tree.delete(copy)) {
      run.removed.add(copy);
    }
    run.steps.add(c -> PeerSql.setObserved(c, binding, copy, null));
  }

  private static String describe(SyncEvent e) {
    return "event " + e.seq() + " (" + e.id() + ") for " + e.path();
  }

  private static boolean reserved(SyncPath path) {
    for (String segment : path.segments()) {
      if (TreeScanner.reserved(segment)) {
        return true;
      }
    }
    return false;
  }

  private void applyRemote(SyncEvent e, BlobSource blobs, Applying run) throws UnsafePathException, IOException,
      SyncStoreException {
    if (e.outcome() == SyncEvent.Outcome.SUPERSEDED) {
      return;
    }
    dropProvisionalCopy(e, run);
    Change change = e.change();
    SyncPath path = change.path();
    PathHead head = new PathHead(e.seq(), e.id(), change);
    run.steps.add(c -> PeerSql.setHead(c, binding, head));
    EntryRow row = entry(path);
    List<WalRow> unresolved = unresolved(path);
    boolean pending = unresolved.stream().anyMatch(WalRow::pending);
    if (pending || row.ackedSeq() > e.seq()) { // a local edit is waiting, or already persisted after this event
      run.deferred.add(path);
      return;
    }
    DiskEntry disk = tree.stat(path);
    if (disk != null && disk.type() == DiskEntry.Type.DIRECTORY) {
      throw new UnsafePathException(path + " is a directory here");
    }
    if (change.op() == Change.Op.DELETE) {
      if (!unresolved.isEmpty() || (disk != null && !clean(path, disk, row.observed()))) {
        run.deferred.add(path);
        return;
      }
      if (disk != null && tree.delete(path)) {
        run.removed.add(path);
      }
      run.steps.add(c -> PeerSql.setObserved(c, binding, path, null));
      run.steps.add(c -> PeerSql.setBase(c, binding, path, e.seq()));
      return;
    }
    if (!unresolved.isEmpty()) {
      keepRefusedEdit(path, disk, change, unresolved, run);
      put(path, change, e.seq(), walOrBlob(change.hash(), blobs), run);
      return;
    }
    if (tree.holds(path, disk, change)) {
      recordHeld(path, disk, change, e.seq(), run);
    } else if (clean(path, disk, row.observed())) {
      put(path, change, e.seq(), walOrBlob(change.hash(), blobs), run);
    } else {
      run.deferred.add(path);
    }
  }

  /** This peer's refused edit of {@code path} is in the way of a remote put: move it to a local conflict copy. */
  private void keepRefusedEdit(SyncPath path, DiskEntry disk, Change incoming, List<WalRow> refused, Applying run)
      throws UnsafePathException, IOException {
    SyncPath keptAs = path;
    if (disk != null && !tree.holds(path, disk, incoming)) {
      Change mine = refused.get(refused.size() - 1).change();
      SyncPath copy = freeCopyName(path, mine);
      tree.move(path, copy);
      DiskEntry moved = tree.stat(copy);
      Observed observed = moved.type() == DiskEntry.Type.SYMLINK
          ? new Observed(Change.EntryKind.SYMLINK, 0, 0, false, null, moved.linkTarget(), false)
          : new Observed(Change.EntryKind.FILE, moved.size(), moved.mtimeNanos(), moved.executable(), tree.hash(copy),
              null, true);
      run.written.add(copy);
      run.copies.add(copy);
      run.steps.add(c -> PeerSql.setObserved(c, binding, copy, observed));
      keptAs = copy;
    }
    SyncPath finalKeptAs = keptAs;
    run.steps.add(c -> PeerSql.markKeptAs(c, binding, path, finalKeptAs));
  }

  private SyncPath freeCopyName(SyncPath path, Change mine) throws UnsafePathException, IOException {
    SyncPath copy = ConflictRule.copyName(path, me, mine);
    String name = copy.fileName();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int n = 2; tree.stat(copy) != null; n++) {
      copy = copy.withFileName(stem + "-" + n + ext);
    }
    return copy;
  }

  private void applyOwn(SyncEvent e, BlobSource blobs, Applying run) throws UnsafePathException, IOException,
      SyncStoreException {
    Change change = e.change();
    long localSeq = e.id().localSeq();
    run.steps.add(c -> PeerSql.deleteWal(c, binding, localSeq)); // persisted, so acknowledged
    PathHead head = new PathHead(e.seq(), e.id(), change);
    switch (e.outcome()) {
      case APPLIED -> {
        run.steps.add(c -> PeerSql.setHead(c, binding, head));
        run.steps.add(c -> PeerSql.setBase(c, binding, change.path(), e.seq()));
      }
      case CONFLICT_COPY -> {
        SyncPath copy = change.path();
        SyncPath edited = e.conflictOf();
        run.steps.add(c -> PeerSql.setHead(c, binding, head));
        DiskEntry atCopy = tree.stat(copy);
        if (tree.holds(copy, atCopy, change)) {
          recordHeld(copy, atCopy, change, e.seq(), run);
        } else if (atCopy != null) {
          run.deferred.add(copy);
        } else {
          put(copy, change, e.seq(), ownContent(change, edited, blobs), run);
          run.copies.add(copy);
        }
        restoreHead(edited, change.at(edited), localSeq, blobs, run);
      }
      case SUPERSEDED -> restoreHead(change.path(), null, localSeq, blobs, run);
    }
  }

  /**
   * My change at {@code path} lost: put back the head's version, if the path still holds exactly my losing
   * version ({@code mine}; null for a deletion: the path is absent) and no other local edit of it is waiting.
   */
  private void restoreHead(SyncPath path, Change mine, long localSeq, BlobSource blobs, Applying run)
      throws UnsafePathException, IOException, SyncStoreException {
    EntryRow row = entry(path);
    PathHead head = row.head();
    if (head == null) {
      return;
    }
    boolean othersWaiting = row.ackedSeq() > run.seq
        || unresolved(path).stream().anyMatch(r -> r.localSeq() != localSeq);
    DiskEntry disk = tree.stat(path);
    Change target = head.change();
    if (othersWaiting) {
      run.deferred.add(path);
    } else if (target.op() == Change.Op.PUT && tree.holds(path, disk, target)) {
      recordHeld(path, disk, target, head.seq(), run);
    } else if (target.op() == Change.Op.DELETE && disk == null) {
      run.steps.add(c -> PeerSql.setObserved(c, binding, path, null));
      run.steps.add(c -> PeerSql.setBase(c, binding, path, head.seq()));
    } else if (mine == null ? disk == null : tree.holds(path, disk, mine)) {
      if (target.op() == Change.Op.PUT) {
        put(path, target, head.seq(), walOrBlob(target.hash(), blobs), run);
      } else {
        if (tree.delete(path)) {
          run.removed.add(path);
        }
        run.steps.add(c -> PeerSql.setObserved(c, binding, path, null));
        run.steps.add(c -> PeerSql.setBase(c, binding, path, head.seq()));
      }
    } else {
      run.deferred.add(path);
    }
  }

  /** Content source for a file put. */
  private interface Content {
    InputStream open() throws IOException, UnsafePathException;
  }

  private Content walOrBlob(ContentHash hash, BlobSource blobs) {
    return () -> {
      if (hash == null) {
        return null;
      }
      byte[] kept = walContent(hash);
      return kept != null ? new ByteArrayInputStream(kept) : blobs.open(workspace, hash);
    };
  }

  /** My own conflict copy's content: from my WAL, else the edited file if it still holds it, else the blob. */
  private Content ownContent(Change change, SyncPath edited, BlobSource blobs) {
    return () -> {
      if (change.kind() != Change.EntryKind.FILE) {
        return null;
      }
      byte[] kept = walContent(change.hash());
      if (kept != null) {
        return new ByteArrayInputStream(kept);
      }
      DiskEntry disk = tree.stat(edited);
      if (tree.holds(edited, disk, change.at(edited))) {
        return Files.newInputStream(tree.resolve(edited, false), LinkOption.NOFOLLOW_LINKS);
      }
      return blobs.open(workspace, change.hash());
    };
  }

  private byte[] walContent(ContentHash hash) throws IOException {
    try {
      return store.read("reading the WAL", c -> PeerSql.content(c, binding, hash));
    } catch (SyncStoreException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Writes {@code change} (a put) at {@code path} and records what is now on disk as derived from {@code seq}. */
  private void put(SyncPath path, Change change, long seq, Content content, Applying run)
      throws UnsafePathException, IOException {
    write(path, change, content, run);
    run.steps.add(c -> PeerSql.setBase(c, binding, path, seq));
  }

  /** Writes {@code change} (a put) at {@code path} and records what is now on disk, its base unchanged. */
  private void write(SyncPath path, Change change, Content content, Applying run)
      throws UnsafePathException, IOException {
    Observed observed;
    if (change.kind() == Change.EntryKind.SYMLINK) {
      observed = tree.writeSymlink(path, change.linkTarget());
    } else {
      InputStream in = content.open();
      if (in == null) {
        throw new IOException("no content for " + path);
      }
      observed = tree.writeFile(path, change.hash(), change.size(), change.executable(), in);
    }
    run.written.add(path);
    run.steps.add(c -> PeerSql.setObserved(c, binding, path, observed));
  }

  /** The disk already holds {@code change} (a crash after the write, or the same content): just record it. */
  private void recordHeld(SyncPath path, DiskEntry disk, Change change, long seq, Applying run) {
    Observed observed = held(disk, change);
    run.steps.add(c -> PeerSql.setObserved(c, binding, path, observed));
    run.steps.add(c -> PeerSql.setBase(c, binding, path, seq));
  }

  private static Observed held(DiskEntry disk, Change change) {
    return change.kind() == Change.EntryKind.SYMLINK
        ? new Observed(Change.EntryKind.SYMLINK, 0, 0, false, null, change.linkTarget(), false)
        : new Observed(Change.EntryKind.FILE, disk.size(), disk.mtimeNanos(), disk.executable(), change.hash(), null,
            true);
  }

  /** @return whether the disk still holds what the replica last observed (content compared when in doubt) */
  private boolean clean(SyncPath path, DiskEntry disk, Observed last) throws UnsafePathException, IOException {
    if (disk == null || last == null) {
      return disk == null && last == null;
    }
    if (disk.type() == DiskEntry.Type.SYMLINK || last.kind() == Change.EntryKind.SYMLINK) {
      return disk.statMatches(last);
    }
    if (disk.type() != DiskEntry.Type.FILE) {
      return false;
    }
    if (disk.statMatches(last) && !last.racy()) {
      return true;
    }
    return disk.executable() == last.executable() && disk.size() == last.size() && tree.hash(path).equals(last.hash());
  }

  private EntryRow entry(SyncPath path) throws SyncStoreException {
    return store.read("reading the index", c -> PeerSql.entry(c, binding, path));
  }

  private List<WalRow> unresolved(SyncPath path) throws SyncStoreException {
    return store.read("reading the WAL", c -> PeerSql.unresolvedRows(c, binding, path));
  }

  /** @return the bound directory (its real path) */
  public Path directory() {
    return root;
  }

  /** @return the workspace it syncs */
  public WorkspaceName workspace() {
    return workspace;
  }

  /** @return the peer it records events as */
  public PeerId peer() {
    return me;
  }

  /** Nothing to release: the store holds the state and is closed by its owner. */
  @Override
  public void close() {
    // the store is shared and closed by whoever opened it
  }
}
