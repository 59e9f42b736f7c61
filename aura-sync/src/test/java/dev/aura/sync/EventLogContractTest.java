package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.EventLog.AppendResult;
import dev.aura.sync.EventLog.Persisted;
import dev.aura.sync.EventLog.Refused;
import dev.aura.sync.EventLog.Submitted;
import dev.aura.sync.EventLogException.Reason;
import dev.aura.sync.SyncEvent.Outcome;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link EventLog} backend must do: SQLite and PostgreSQL run the same tests. Bounded waits only
 * guard against a hang (they are never what a test measures).
 */
abstract class EventLogContractTest {
  static final WorkspaceName WIDGET = WorkspaceName.parse("widget");
  static final WorkspaceName GADGET = WorkspaceName.parse("gadget");
  static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  static final PeerId BOB = PeerId.parse("peer_b0b0b0b0");
  static final PeerId CAROL = PeerId.parse("peer_ca401000");
  static final Instant T0 = Instant.parse("2026-12-01T09:45:12.123456789Z");
  private static final long WAIT_SECONDS = 60;

  @TempDir Path dir;
  LogBackend backend;
  private final List<EventLog> opened = new ArrayList<>();

  /** @return a fresh, empty database */
  abstract LogBackend newBackend(Path dir) throws Exception;

  @BeforeEach
  void createBackend() throws Exception {
    backend = newBackend(dir);
  }

  @AfterEach
  void closeEverything() throws Exception {
    opened.forEach(EventLog::close);
    if (backend != null) { // null when the backend was skipped
      backend.close();
    }
  }

  EventLog open(EventLogOptions options) throws EventLogException {
    EventLog log = EventLog.open(backend.url(), options);
    opened.add(log);
    return log;
  }

  EventLog open() throws EventLogException {
    return open(EventLogOptions.defaults());
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void read_aRowWhoseInstantOverflows_isCorrupt_notADateTimeException() throws Exception {
    EventLog log = open(EventLogOptions.defaults());
    appendOne(log, WIDGET, link(ALICE, 1, "first"));
    appendOne(log, WIDGET, link(ALICE, 2, "second"));
    try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(
        "UPDATE sync_events SET authored_at_s = ? WHERE seq = 2")) {
      s.setLong(1, Long.MAX_VALUE);
      s.executeUpdate();
    }

    assertThatThrownBy(() -> log.read(WIDGET, 0, 10)).isInstanceOfSatisfying(EventLogException.class,
        e -> assertThat(e.reason()).isEqualTo(EventLogException.Reason.CORRUPT))
        .hasMessageContaining("sync_events row at sequence 2 is not a valid event");
    assertThat(log.read(WIDGET, 0, 1)).extracting(e -> e.path().value()).containsExactly("first");
  }

  static Submitted link(PeerId author, long localSeq, String path) {
    return new Submitted(new EventId(author, localSeq), Change.putSymlink(SyncPath.parse(path), "target", 0, T0));
  }

  static Submitted file(PeerId author, long localSeq, String path, byte[] content, long basedOn) {
    return new Submitted(new EventId(author, localSeq),
        Change.putFile(SyncPath.parse(path), ContentHash.of(content), content.length, false, basedOn, T0));
  }

  static Submitted delete(PeerId author, long localSeq, String path, long basedOn) {
    return new Submitted(new EventId(author, localSeq),
        Change.delete(SyncPath.parse(path), Change.EntryKind.FILE, basedOn, T0));
  }

  static List<AppendResult> await(CompletableFuture<List<AppendResult>> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  static SyncEvent persisted(AppendResult result) {
    assertThat(result).isInstanceOf(Persisted.class);
    return ((Persisted) result).event();
  }

  static SyncEvent appendOne(EventLog log, WorkspaceName workspace, Submitted event) throws Exception {
    return persisted(await(log.append(workspace, List.of(event))).get(0));
  }

  static List<SyncEvent> readAll(EventLog log, WorkspaceName workspace) throws EventLogException {
    return log.read(workspace, 0, 1_000_000);
  }

  static void putBlob(EventLog log, WorkspaceName workspace, byte[] content) throws Exception {
    log.putBlob(workspace, ContentHash.of(content), new ByteArrayInputStream(content));
  }

  long count(String sql, Object... parameters) throws Exception {
    try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static EventLogException failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(EventLogException.class);
      return (EventLogException) e.getCause();
    }
    throw new AssertionError("expected the append to fail");
  }

  @Test
  void open_reportsItsKindAndLocation() throws Exception {
    EventLog log = open();

    assertThat(log.databaseKind()).isIn("sqlite", "postgresql");
    assertThat(log.location()).startsWith(log.databaseKind() + ":");
    assertThat(log.head(WIDGET)).isZero();
    assertThat(log.heads()).isEmpty();
  }

  @Test
  void open_startsOneDaemonCommitterThreadPerWorkerAndCloseStopsThem() throws Exception {
    EventLog log = open(EventLogOptions.defaults().withWorkers(3));

    List<Thread> committers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("aura-sync-commit-")).toList();
    assertThat(committers).extracting(Thread::getName)
        .contains("aura-sync-commit-1", "aura-sync-commit-2", "aura-sync-commit-3");
    assertThat(committers).allMatch(Thread::isDaemon);

    log.close();
    for (Thread t : committers) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
    assertThat(committers).noneMatch(Thread::isAlive);
  }

  @Test
  void append_assignsAGapFreeSequenceFromOneInSubmissionOrder() throws Exception {
    EventLog log = open();

    List<AppendResult> first = await(log.append(WIDGET,
        List.of(link(ALICE, 1, "a"), link(ALICE, 2, "b"), link(ALICE, 3, "c"))));
    List<AppendResult> second = await(log.append(WIDGET, List.of(link(BOB, 1, "d"), link(BOB, 2, "e"))));

    assertThat(first).extracting(r -> persisted(r).seq()).containsExactly(1L, 2L, 3L);
    assertThat(second).extracting(r -> persisted(r).seq()).containsExactly(4L, 5L);
    assertThat(first).extracting(AppendResult::id)
        .containsExactly(new EventId(ALICE, 1), new EventId(ALICE, 2), new EventId(ALICE, 3));
    assertThat(log.head(WIDGET)).isEqualTo(5);
    List<SyncEvent> stored = readAll(log, WIDGET);
    assertThat(stored).extracting(SyncEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(stored).extracting(e -> e.path().value()).containsExactly("a", "b", "c", "d", "e");
    assertThat(stored).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(e.workspace()).isEqualTo(WIDGET);
    });
    assertThat(stored.get(0)).isEqualTo(persisted(first.get(0)));
  }

  @Test
  void append_storesEveryFieldOfTheChangeExactly() throws Exception {
    EventLog log = open();
    byte[] content = bytes("#!/bin/sh\necho hi\n");
    putBlob(log, WIDGET, content);
    Change change = Change.putFile(SyncPath.parse("bin/run ü.sh"), ContentHash.of(content), content.length, true,
        0, T0);

    SyncEvent event = appendOne(log, WIDGET, new Submitted(new EventId(ALICE, 7), change));

    assertThat(event.change()).isEqualTo(change);
    assertThat(readAll(log, WIDGET)).containsExactly(event);
  }

  @Test
  void append_ofAnIdPersistedBefore_returnsTheFirstEventAsADuplicateAndWritesNothing() throws Exception {
    EventLog log = open();
    SyncEvent first = appendOne(log, WIDGET, link(ALICE, 1, "a"));
    appendOne(log, WIDGET, link(BOB, 1, "b"));

    Submitted resent = new Submitted(new EventId(ALICE, 1), Change.putSymlink(SyncPath.parse("z"), "x", 0, T0));
    List<AppendResult> again = await(log.append(WIDGET, List.of(resent, link(ALICE, 2, "c"))));

    assertThat(again.get(0)).isEqualTo(new Persisted(new EventId(ALICE, 1), first, true));
    assertThat(persisted(again.get(1)).seq()).isEqualTo(3);
    assertThat(((Persisted) again.get(1)).duplicate()).isFalse();
    assertThat(readAll(log, WIDGET)).hasSize(3);
    assertThat(count("SELECT count(*) FROM sync_events WHERE path = 'z'")).isZero();
    assertThat(log.stats().duplicateEvents()).isEqualTo(1);
  }

  @Test
  void append_ofTheSameIdTwiceInOneBatch_persistsItOnce() throws Exception {
    EventLog log = open();

    List<AppendResult> results = await(log.append(WIDGET, List.of(link(ALICE, 1, "a"), link(ALICE, 1, "a"))));

    assertThat(results.get(1)).isEqualTo(new Persisted(new EventId(ALICE, 1), persisted(results.get(0)), true));
    assertThat(log.head(WIDGET)).isEqualTo(1);
  }

  @Test
  void append_ofTheSameIdToAnotherWorkspace_isAnotherEvent() throws Exception {
    EventLog log = open();

    SyncEvent inWidget = appendOne(log, WIDGET, link(ALICE, 1, "a"));
    SyncEvent inGadget = appendOne(log, GADGET, link(ALICE, 1, "a"));

    assertThat(inWidget.seq()).isEqualTo(1);
    assertThat(inGadget.seq()).isEqualTo(1);
    assertThat(inGadget.workspace()).isEqualTo(GADGET);
  }

  @Test
  void append_resolvesConflictsAgainstThePathHeadsAndPersistsTheOutcomes() throws Exception {
    EventLog log = open();
    byte[] bobs = bytes("bob's notes");
    byte[] alices = bytes("alice's notes");
    putBlob(log, WIDGET, bobs);
    putBlob(log, WIDGET, alices);

    SyncEvent edit = appendOne(log, WIDGET, file(BOB, 1, "notes.txt", bobs, 0));
    SyncEvent concurrent = appendOne(log, WIDGET, file(ALICE, 1, "notes.txt", alices, 0));
    SyncEvent deletion = appendOne(log, WIDGET, delete(CAROL, 1, "notes.txt", 0));
    SyncEvent sameAsHead = appendOne(log, WIDGET, file(CAROL, 2, "notes.txt", bobs, 0));
    SyncEvent ownFollowUp = appendOne(log, WIDGET, file(ALICE, 2, concurrent.path().value(), bobs, 0));
    SyncEvent seenDeletion = appendOne(log, WIDGET, delete(BOB, 2, "notes.txt", 4));

    assertThat(edit.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(concurrent.outcome()).isEqualTo(Outcome.CONFLICT_COPY);
    assertThat(concurrent.conflictOf()).isEqualTo(SyncPath.parse("notes.txt"));
    assertThat(concurrent.path().value()).isEqualTo("notes.sync-conflict-20261201-094512-peer_0a1b2c3d.txt");
    assertThat(concurrent.change().hash()).isEqualTo(ContentHash.of(alices));
    assertThat(deletion.outcome()).isEqualTo(Outcome.SUPERSEDED);
    assertThat(sameAsHead.outcome()).as("the superseded deletion left Bob's edit as the head")
        .isEqualTo(Outcome.APPLIED);
    assertThat(ownFollowUp.outcome()).as("the copy's head is Alice's own earlier event").isEqualTo(Outcome.APPLIED);
    assertThat(seenDeletion.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(readAll(log, WIDGET))
        .containsExactly(edit, concurrent, deletion, sameAsHead, ownFollowUp, seenDeletion);

    assertThat(count("SELECT seq FROM sync_path_heads WHERE workspace = 'widget' AND path = 'notes.txt'"))
        .isEqualTo(seenDeletion.seq());
    assertThat(count("SELECT seq FROM sync_path_heads WHERE workspace = 'widget' AND path = ?",
        concurrent.path().value())).isEqualTo(ownFollowUp.seq());
    assertThat(count("SELECT count(*) FROM sync_path_heads WHERE op = 'DELETE' AND path = 'notes.txt'"))
        .isEqualTo(1);
  }

  @Test
  void append_refusesMissingContentAndTooLargeFilesWithoutStoppingTheBatch() throws Exception {
    EventLog log = open(EventLogOptions.defaults().withMaxFileSize(16));
    byte[] stored = bytes("stored");
    putBlob(log, WIDGET, stored);
    Submitted tooLarge = new Submitted(new EventId(ALICE, 3),
        Change.putFile(SyncPath.parse("big.bin"), ContentHash.of(bytes("x")), 17, false, 0, T0));
    Submitted wrongSize = new Submitted(new EventId(ALICE, 5),
        Change.putFile(SyncPath.parse("c.txt"), ContentHash.of(stored), stored.length + 1, false, 0, T0));

    List<AppendResult> results = await(log.append(WIDGET, List.of(file(ALICE, 1, "a.txt", stored, 0),
        file(ALICE, 2, "b.txt", bytes("never uploaded"), 0), tooLarge, link(ALICE, 4, "d"), wrongSize)));

    assertThat(persisted(results.get(0)).seq()).isEqualTo(1);
    assertThat(results.get(1)).isInstanceOfSatisfying(Refused.class, r -> {
      assertThat(r.code()).isEqualTo("missing_content");
      assertThat(r.message()).contains("peer_0a1b2c3d.2", ContentHash.of(bytes("never uploaded")).abbreviated())
          .doesNotContain("b.txt");
    });
    assertThat(results.get(2)).isInstanceOfSatisfying(Refused.class, r -> {
      assertThat(r.code()).isEqualTo("too_large");
      assertThat(r.message()).contains("17 bytes", "limit of 16 bytes");
    });
    assertThat(persisted(results.get(3)).seq()).isEqualTo(2);
    assertThat(results.get(4)).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.code()).isEqualTo("size_mismatch"));
    assertThat(readAll(log, WIDGET)).extracting(e -> e.path().value()).containsExactly("a.txt", "d");
    assertThat(log.stats().refusedEvents()).isEqualTo(3);

    putBlob(log, WIDGET, bytes("never uploaded"));
    SyncEvent resent = appendOne(log, WIDGET, file(ALICE, 2, "b.txt", bytes("never uploaded"), 0));
    assertThat(resent.seq()).as("a refused event can be re-sent once its blob is uploaded").isEqualTo(3);
  }

  @Test
  void append_aFilePutNeedsTheBlobInItsOwnWorkspace() throws Exception {
    EventLog log = open();
    byte[] content = bytes("gadget only");
    putBlob(log, GADGET, content);

    AppendResult result = await(log.append(WIDGET, List.of(file(ALICE, 1, "a.txt", content, 0)))).get(0);

    assertThat(result).isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code()).isEqualTo("missing_content"));
  }

  @Test
  void append_ofNothing_completesEmpty() throws Exception {
    assertThat(await(open().append(WIDGET, List.of()))).isEmpty();
  }

  @Test
  void read_pagesBySequence() throws Exception {
    EventLog log = open();
    List<Submitted> events = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      events.add(link(ALICE, i, "f" + i));
    }
    await(log.append(WIDGET, events));

    assertThat(log.read(WIDGET, 0, 10)).extracting(SyncEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(log.read(WIDGET, 10, 10)).extracting(SyncEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(11, 20).boxed().toList());
    assertThat(log.read(WIDGET, 20, 10)).extracting(SyncEvent::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(log.read(WIDGET, 25, 10)).isEmpty();
    assertThat(log.read(GADGET, 0, 10)).isEmpty();
    assertThat(log.read(WIDGET, 24, 1)).extracting(SyncEvent::seq).containsExactly(25L);
    assertThatThrownBy(() -> log.read(WIDGET, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.read(WIDGET, -1, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void heads_listsEveryWorkspaceWithEvents() throws Exception {
    EventLog log = open();
    await(log.append(WIDGET, List.of(link(ALICE, 1, "a"), link(ALICE, 2, "b"))));
    await(log.append(GADGET, List.of(link(ALICE, 1, "a"))));
    WorkspaceName refusedOnly = WorkspaceName.parse("refused-only");
    await(log.append(refusedOnly, List.of(file(ALICE, 1, "a", bytes("not uploaded"), 0))));

    assertThat(log.heads()).containsExactly(Map.entry(GADGET, 1L), Map.entry(WIDGET, 2L));
    assertThat(log.head(refusedOnly)).isZero();
    assertThat(log.head(WorkspaceName.parse("unknown"))).isZero();
  }

  @Test
  void putBlob_storesContentOncePerWorkspaceAndHash() throws Exception {
    EventLog log = open();
    byte[] content = bytes("hello, blob");
    ContentHash hash = ContentHash.of(content);

    putBlob(log, WIDGET, content);
    putBlob(log, WIDGET, content);
    log.putBlob(WIDGET, hash, new ByteArrayInputStream(bytes("not even read")));

    assertThat(count("SELECT count(*) FROM sync_blobs")).isEqualTo(1);
    assertThat(log.hasBlob(WIDGET, hash)).isTrue();
    assertThat(log.hasBlob(GADGET, hash)).isFalse();
    assertThat(log.blobSize(WIDGET, hash)).contains((long) content.length);
    assertThat(log.blobSize(GADGET, hash)).isEmpty();
    try (InputStream in = log.openBlob(WIDGET, hash).orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(log.openBlob(GADGET, hash)).isEmpty();
  }

  @Test
  void putBlob_ofEmptyContentAndOfContentAtTheLimit_isStored() throws Exception {
    EventLog log = open(EventLogOptions.defaults().withMaxFileSize(200_000));
    byte[] atLimit = new byte[200_000];
    new java.util.Random(7).nextBytes(atLimit);

    putBlob(log, WIDGET, new byte[0]);
    putBlob(log, WIDGET, atLimit);

    assertThat(log.blobSize(WIDGET, ContentHash.of(new byte[0]))).contains(0L);
    assertThat(log.openBlob(WIDGET, ContentHash.of(atLimit)).orElseThrow().readAllBytes()).isEqualTo(atLimit);
  }

  @Test
  void putBlob_whoseContentDoesNotMatchItsHash_isRefusedAndNothingIsStored() throws Exception {
    EventLog log = open();
    ContentHash claimed = ContentHash.of(bytes("what was announced"));

    assertThatThrownBy(() -> log.putBlob(WIDGET, claimed, new ByteArrayInputStream(bytes("something else"))))
        .isInstanceOfSatisfying(EventLogException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CONTENT))
        .hasMessageStartingWith("blob content does not match its hash: content uploaded as "
            + claimed.abbreviated() + " in workspace widget hashes to "
            + ContentHash.of(bytes("something else")).abbreviated())
        .hasMessageNotContaining("something else");
    assertThat(log.hasBlob(WIDGET, claimed)).isFalse();
    assertThat(count("SELECT count(*) FROM sync_blobs")).isZero();
  }

  @Test
  void putBlob_overTheLimit_isRefusedWhileReadingAndNothingIsStored() throws Exception {
    EventLog log = open(EventLogOptions.defaults().withMaxFileSize(100_000));
    AtomicLong read = new AtomicLong();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        read.incrementAndGet();
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
        read.addAndGet(len);
        return len;
      }
    };
    ContentHash hash = ContentHash.of(bytes("x"));

    assertThatThrownBy(() -> log.putBlob(WIDGET, hash, endless))
        .isInstanceOfSatisfying(EventLogException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
        .hasMessageContaining("limit of 100000 bytes; nothing was stored");
    assertThat(read.get()).as("stops reading just past the limit").isEqualTo(100_001);
    assertThat(log.hasBlob(WIDGET, hash)).isFalse();
    assertThatThrownBy(() -> putBlob(log, WIDGET, new byte[100_001]))
        .isInstanceOfSatisfying(EventLogException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    assertThat(count("SELECT count(*) FROM sync_blobs")).isZero();
  }

  @Test
  void reopen_keepsEventsHeadsBlobsAndIdempotency() throws Exception {
    byte[] content = bytes("kept");
    List<SyncEvent> before;
    try (EventLog log = EventLog.open(backend.url(), EventLogOptions.defaults())) {
      putBlob(log, WIDGET, content);
      await(log.append(WIDGET, List.of(file(ALICE, 1, "a.txt", content, 0), link(ALICE, 2, "b"))));
      await(log.append(GADGET, List.of(link(BOB, 1, "c"))));
      before = readAll(log, WIDGET);
    }

    EventLog reopened = open();

    assertThat(readAll(reopened, WIDGET)).isEqualTo(before);
    assertThat(reopened.heads()).containsExactly(Map.entry(GADGET, 1L), Map.entry(WIDGET, 2L));
    assertThat(reopened.openBlob(WIDGET, ContentHash.of(content)).orElseThrow().readAllBytes()).isEqualTo(content);
    AppendResult again = await(reopened.append(WIDGET, List.of(link(ALICE, 2, "b")))).get(0);
    assertThat(again).isEqualTo(new Persisted(new EventId(ALICE, 2), before.get(1), true));
    assertThat(appendOne(reopened, WIDGET, file(BOB, 1, "a.txt", bytes("kept"), 0)).outcome())
        .as("path heads survive: same content as the head").isEqualTo(Outcome.APPLIED);
    assertThat(reopened.head(WIDGET)).isEqualTo(3);
  }

  @Test
  void append_from16ThreadsTo4Workspaces_isGapFreeExactlyOnceInSubmissionOrderAndGroupCommitted()
      throws Exception {
    EventLog log = open();
    int threads = 16;
    int perThread = 200;
    List<WorkspaceName> workspaces = List.of(WorkspaceName.parse("w0"), WorkspaceName.parse("w1"),
        WorkspaceName.parse("w2"), WorkspaceName.parse("w3"));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<SyncEvent>>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        PeerId author = PeerId.parse(String.format("peer_%08x", t));
        done.add(pool.submit(() -> {
          List<CompletableFuture<List<AppendResult>>> futures = new ArrayList<>();
          for (int i = 1; i <= perThread; i++) {
            futures.add(log.append(workspaces.get(i % 4), List.of(link(author, i, author + "/" + i))));
          }
          List<SyncEvent> mine = new ArrayList<>();
          for (CompletableFuture<List<AppendResult>> f : futures) {
            mine.add(persisted(await(f).get(0)));
          }
          return mine;
        }));
      }
      Map<WorkspaceName, Long> lastSeqByThreadAndWorkspace = new HashMap<>();
      for (Future<List<SyncEvent>> f : done) {
        lastSeqByThreadAndWorkspace.clear();
        for (SyncEvent e : f.get(WAIT_SECONDS, TimeUnit.SECONDS)) {
          Long last = lastSeqByThreadAndWorkspace.put(e.workspace(), e.seq());
          assertThat(last == null || last < e.seq()).as("submission order kept in %s", e.workspace()).isTrue();
        }
      }
    } finally {
      pool.shutdownNow();
    }

    Set<EventId> seen = new HashSet<>();
    for (WorkspaceName workspace : workspaces) {
      List<SyncEvent> events = readAll(log, workspace);
      assertThat(events).extracting(SyncEvent::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
      assertThat(log.head(workspace)).isEqualTo(events.size());
      events.forEach(e -> assertThat(seen.add(e.id())).as("exactly once: %s", e.id()).isTrue());
    }
    assertThat(seen).hasSize(threads * perThread);
    EventLogStats stats = log.stats();
    assertThat(stats.persistedEvents()).isEqualTo(threads * perThread);
    assertThat(stats.commits()).as("concurrent appends shared commits").isLessThan(stats.persistedEvents());
    assertThat(stats.backlogEvents()).isZero();
    assertThat(stats.recentMaxCommitLatency()).isGreaterThanOrEqualTo(stats.lastCommitLatency());
  }

  @Test
  void append_whenTheBacklogIsFull_failsAtOnceAndTheQueuedAppendsStillCommit() throws Exception {
    TestClock clock = new TestClock(T0);
    EventLog log = open(EventLogOptions.defaults().withWorkers(1).withMaxBatchEvents(1).withMaxQueuedEvents(5)
        .withClock(clock));
    appendOne(log, WIDGET, link(ALICE, 1, "first"));
    List<CompletableFuture<List<AppendResult>>> queued = new ArrayList<>();
    try (LogBackend.HeldLock lock = backend.holdAppendLock("widget")) {
      for (int i = 2; i <= 6; i++) {
        queued.add(log.append(WIDGET, List.of(link(ALICE, i, "f" + i))));
      }
      clock.advance(Duration.ofSeconds(7));

      EventLogException full = failure(log.append(WIDGET, List.of(link(BOB, 1, "x"))));

      assertThat(full.reason()).isEqualTo(Reason.BACKLOG_FULL);
      assertThat(full).hasMessageStartingWith("sync backlog full: 5 event(s) are waiting to be committed");
      EventLogStats stats = log.stats();
      assertThat(stats.backlogEvents()).isEqualTo(5);
      assertThat(stats.oldestWaitingAge()).isEqualTo(Duration.ofSeconds(7));
      assertThat(stats.failedEvents()).isEqualTo(1);
      assertThat(queued).noneMatch(CompletableFuture::isDone);
    }
    for (CompletableFuture<List<AppendResult>> f : queued) {
      persisted(await(f).get(0));
    }
    assertThat(log.head(WIDGET)).isEqualTo(6);
    assertThat(log.stats().backlogEvents()).isZero();
    assertThat(log.stats().oldestWaitingAge()).isZero();
  }

  @Test
  void close_failsTheQueuedAppendsFinishesTheCommitInProgressAndRefusesLaterCalls() throws Exception {
    EventLog log = open(EventLogOptions.defaults().withWorkers(1).withMaxBatchEvents(1));
    appendOne(log, WIDGET, link(ALICE, 1, "first"));
    List<CompletableFuture<List<AppendResult>>> waiting = new ArrayList<>();
    CompletableFuture<Void> closing;
    try (LogBackend.HeldLock lock = backend.holdAppendLock("widget")) {
      for (int i = 2; i <= 6; i++) {
        waiting.add(log.append(WIDGET, List.of(link(ALICE, i, "f" + i))));
      }
      closing = CompletableFuture.runAsync(log::close);
      for (CompletableFuture<List<AppendResult>> f : waiting.subList(1, waiting.size())) {
        EventLogException e = failure(f);
        assertThat(e.reason()).isEqualTo(Reason.CLOSED);
        assertThat(e).hasMessageStartingWith("event log closed: ");
      }
    }
    closing.get(WAIT_SECONDS, TimeUnit.SECONDS);

    int committed = 0;
    for (CompletableFuture<List<AppendResult>> f : waiting) {
      assertThat(f).isDone();
      if (!f.isCompletedExceptionally()) {
        committed++;
      }
    }
    assertThat(failure(log.append(WIDGET, List.of(link(BOB, 1, "late")))).reason()).isEqualTo(Reason.CLOSED);
    assertThatThrownBy(() -> log.head(WIDGET))
        .isInstanceOfSatisfying(EventLogException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    log.close();
    assertThat(open().head(WIDGET)).as("exactly the acknowledged appends are stored").isEqualTo(1 + committed);
  }
}
