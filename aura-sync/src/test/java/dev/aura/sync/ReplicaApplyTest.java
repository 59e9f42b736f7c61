package dev.aura.sync;

import static dev.aura.sync.Trees.snapshot;
import static dev.aura.sync.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaApplyTest extends ReplicaFixture {

  private static SyncEvent put(long seq, String path, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new SyncEvent(TestLog.WS, seq, new EventId(ALICE, seq),
        Change.putFile(SyncPath.parse(path), ContentHash.of(bytes), bytes.length, false, 0, NOW),
        SyncEvent.Outcome.APPLIED, null, TestLog.PERSISTED);
  }

  private static BlobSource serving(String content) {
    return (ws, hash) -> new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Path> tmpFiles(Replica r) throws IOException {
    try (var s = Files.list(r.directory().resolve(".aura/tmp"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("apply-")).toList();
    }
  }

  @Test
  void apply_theSameEventTwice_isANoOp() throws Exception {
    Replica b = replica(BOB);
    SyncEvent e = put(1, "a.txt", "one");
    ApplyResult first = b.apply(e, serving("one"));
    assertThat(first.written()).extracting(SyncPath::value).containsExactly("a.txt");
    write(b.directory(), "a.txt", "edited locally");
    ApplyResult again = b.apply(e, (ws, h) -> {
      throw new AssertionError("a no-op fetches nothing");
    });
    assertThat(again.alreadyApplied()).isTrue();
    assertThat(again.treeUnchanged()).isTrue();
    assertThat(Files.readString(b.directory().resolve("a.txt"))).isEqualTo("edited locally");
    assertThat(b.appliedSeq()).isEqualTo(1);
  }

  @Test
  void apply_outOfOrder_isRefused() throws Exception {
    Replica b = replica(BOB);
    assertThatThrownBy(() -> b.apply(put(2, "a.txt", "x"), serving("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1");
  }

  @Test
  void crashBetweenFileMoveAndCommit_reappliesIdempotently_afterReopeningTheStore() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("crash/work"));
    Path db = temp.resolve("crash/home/sync.db");
    PeerSyncStore store = PeerSyncStore.open(db);
    Replica b = Replica.open(store, dir, TestLog.WS, BOB, MAX, CLOCK);
    b.apply(put(1, "kept.txt", "kept"), serving("kept"));
    b.beforeApplyCommit = () -> {
      throw new IllegalStateException("simulated crash");
    };
    assertThatThrownBy(() -> b.apply(put(2, "sub/new.txt", "new"), serving("new")))
        .hasMessage("simulated crash");
    assertThat(Files.readString(dir.resolve("sub/new.txt"))).as("the move happened").isEqualTo("new");
    store.close();

    try (PeerSyncStore reopened = PeerSyncStore.open(db)) {
      Replica again = Replica.open(reopened, dir, TestLog.WS, BOB, MAX, CLOCK);
      assertThat(again.appliedSeq()).isEqualTo(1);
      ApplyResult redo = again.apply(put(2, "sub/new.txt", "new"), serving("new"));
      assertThat(redo.deferred()).isEmpty();
      assertThat(again.appliedSeq()).isEqualTo(2);
      assertThat(again.apply(put(2, "sub/new.txt", "new"), serving("new")).alreadyApplied()).isTrue();
      assertThat(again.scan().recorded()).as("the re-applied file is not a local change").isEmpty();
      assertThat(snapshot(dir)).isEqualTo(Map.of("kept.txt", "kept", "sub", "/", "sub/new.txt", "new"));
    }
  }

  @Test
  void anEventThroughASymlinkedParent_isSkipped_andNothingIsWrittenOutside() throws Exception {
    Replica b = replica(BOB);
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(b.directory().resolve("link"), outside);
    write(b.directory(), "plain", "a file");
    ApplyResult viaLink = b.apply(put(1, "link/evil.txt", "pwned"), serving("pwned"));
    ApplyResult viaFile = b.apply(put(2, "plain/evil.txt", "pwned"), serving("pwned"));
    SyncEvent delete = new SyncEvent(TestLog.WS, 3, new EventId(ALICE, 3),
        Change.delete(SyncPath.parse("link/victim.txt"), Change.EntryKind.FILE, 0, NOW), SyncEvent.Outcome.APPLIED,
        null, TestLog.PERSISTED);
    write(outside, "victim.txt", "still here");
    ApplyResult deleteViaLink = b.apply(delete, serving(""));

    assertThat(viaLink.skipped()).singleElement().asString()
        .contains("link/evil.txt", "parent 'link' is a symlink").endsWith(": skipped");
    assertThat(viaFile.skipped()).singleElement().asString().contains("parent 'plain' is not a directory");
    assertThat(deleteViaLink.skipped()).hasSize(1);
    assertThat(viaLink.written()).isEmpty();
    assertThat(snapshot(outside)).isEqualTo(Map.of("victim.txt", "still here"));
    assertThat(b.appliedSeq()).isEqualTo(3);
  }

  @Test
  void eventsInsideGitOrAura_areSkipped() throws Exception {
    Replica b = replica(BOB);
    ApplyResult git = b.apply(put(1, ".git/hooks/pre-commit", "evil"), serving("evil"));
    ApplyResult aura = b.apply(put(2, "sub/.aura/replica", "evil"), serving("evil"));
    assertThat(git.skipped()).singleElement().asString().contains("never writes inside .git/ or .aura/");
    assertThat(aura.skipped()).hasSize(1);
    assertThat(Files.exists(b.directory().resolve(".git"))).isFalse();
    assertThat(Files.exists(b.directory().resolve("sub"))).isFalse();
  }

  @Test
  void aFilePutWhoseBlobHasTheWrongHash_writesNothing() throws Exception {
    Replica b = replica(BOB);
    write(b.directory(), "a.txt", "old");
    b.scan();
    b.acknowledged(b.pending(1).get(0).id(), 1);
    SyncEvent own = new SyncEvent(TestLog.WS, 1, new EventId(BOB, 1),
        Change.putFile(SyncPath.parse("a.txt"), ContentHash.of("old".getBytes()), 3, false, 0, NOW),
        SyncEvent.Outcome.APPLIED, null, TestLog.PERSISTED);
    b.apply(own, serving("old"));
    SyncEvent e = put(2, "a.txt", "new");

    assertThatThrownBy(() -> b.apply(e, serving("tampered"))).isInstanceOf(IOException.class)
        .hasMessageContaining("nothing written");
    assertThatThrownBy(() -> b.apply(e, serving("ne"))).isInstanceOf(IOException.class);
    assertThat(Files.readString(b.directory().resolve("a.txt"))).isEqualTo("old");
    assertThat(b.appliedSeq()).isEqualTo(1);
    assertThat(tmpFiles(b)).isEmpty();
    assertThat(b.apply(e, serving("new")).written()).extracting(SyncPath::value).containsExactly("a.txt");
    assertThat(Files.readString(b.directory().resolve("a.txt"))).isEqualTo("new");
  }

  @Test
  void refusedEvents_stayInTheWal_areNotResent_andShowInWalStatus() throws Exception {
    PeerSyncStore store = store(CAROL);
    Replica c = Replica.open(store, Files.createDirectories(temp.resolve("carol-work")), TestLog.WS, CAROL, MAX,
        CLOCK);
    log.readOnly.add(CAROL);
    write(c.directory(), "a.txt", "carol's");
    write(c.directory(), "b.txt", "also carol's");
    c.scan();
    log.push(c);
    assertThat(log.events).isEmpty();
    assertThat(c.pending(10)).isEmpty();
    assertThat(c.walStatus().oldestUnacked()).as("only refused events: none is unacked").isEmpty();
    write(c.directory(), "c.txt", "pending");
    c.scan();

    WalStatus status = c.walStatus();
    assertThat(status.unacked()).isEqualTo(1);
    assertThat(status.oldestUnacked()).contains(NOW);
    assertThat(status.lastAck()).isEmpty();
    assertThat(status.bytes()).isGreaterThan("carol's".length() + "also carol's".length() + "pending".length());
    assertThat(status.refused()).extracting(r -> r.path().value() + " " + r.op() + " " + r.code())
        .containsExactly("a.txt PUT read-only", "b.txt PUT read-only");
    assertThat(status.refused().get(0).message()).isEqualTo("peer peer_0000000c is read-only in workspace widget");
    assertThat(status.refused().get(0).at()).isEqualTo(NOW);
    assertThat(store.walStatus()).containsExactly(status);
  }

  @Test
  void aReadOnlyReplicasRefusedEdit_isKeptAsALocalConflictCopy_whenARemoteUpdateArrives() throws Exception {
    Replica a = replica(ALICE);
    Replica c = replica(CAROL);
    log.readOnly.add(CAROL);
    write(a.directory(), "plan.md", "v1");
    log.sync(a, c);
    write(c.directory(), "plan.md", "carol's local edit");
    c.scan();
    log.push(c);                                  // refused
    write(a.directory(), "plan.md", "v2 by alice");
    log.sync(a);
    List<ApplyResult> applied = log.pull(c);

    String copy = "plan.sync-conflict-20261201-094512-peer_0000000c.md";
    assertThat(applied).flatExtracting(ApplyResult::conflictCopies).extracting(SyncPath::value).containsExactly(copy);
    assertThat(snapshot(c.directory())).isEqualTo(Map.of("plan.md", "v2 by alice", copy, "carol's local edit"));
    assertThat(c.walStatus().refused()).hasSize(1);
    assertThat(c.scan().recorded()).isEmpty();

    write(a.directory(), "plan.md", "v3 by alice");  // the next update just applies
    log.sync(a);
    log.pull(c);
    assertThat(snapshot(c.directory())).isEqualTo(Map.of("plan.md", "v3 by alice", copy, "carol's local edit"));
  }

  @Test
  void aRemoteUpdate_ofALocallyEditedButUnscannedFile_isDeferred_andThenResolvedAsAConflict() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "f.txt", "v1");
    log.sync(a, b);
    write(a.directory(), "f.txt", "alice v2");
    log.sync(a);
    write(b.directory(), "f.txt", "bob, not scanned yet");
    List<ApplyResult> results = log.pull(b);
    assertThat(results).flatExtracting(ApplyResult::deferred).extracting(SyncPath::value).containsExactly("f.txt");
    assertThat(Files.readString(b.directory().resolve("f.txt"))).isEqualTo("bob, not scanned yet");
    log.sync(b, a);
    log.pull(b);
    assertThat(snapshot(a.directory())).isEqualTo(snapshot(b.directory())).containsEntry("f.txt", "alice v2")
        .containsEntry("f.sync-conflict-20261201-094512-peer_0000000b.txt", "bob, not scanned yet");
  }
}
