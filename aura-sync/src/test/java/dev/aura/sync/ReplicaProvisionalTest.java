package dev.aura.sync;

import static dev.aura.sync.Trees.snapshot;
import static dev.aura.sync.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Changes received directly from their author before the Mothership sequences them. */
class ReplicaProvisionalTest extends ReplicaFixture {

  /** What a peer sends directly while the Mothership is down: its pending events, with content. */
  private static void sendDirectly(Replica from, Replica to) throws Exception {
    for (PendingEvent p : from.pending(1000)) {
      Change c = p.change();
      byte[] content = c.op() == Change.Op.PUT && c.kind() == Change.EntryKind.FILE
          ? from.content(c.hash()).orElseThrow() : null;
      to.applyProvisional(p.id(), c, content);
    }
  }

  @Test
  void aProvisionalChange_isNotReDetected_andItsSequencedEventLaterWritesNothing() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "notes.txt", "v1");
    log.sync(a, b);
    write(a.directory(), "notes.txt", "v2 while the Mothership was down");
    write(a.directory(), "new/file.txt", "new");
    Files.delete(a.directory().resolve("notes.txt"));
    write(a.directory(), "moved.txt", "v1");
    a.scan();

    sendDirectly(a, b);
    sendDirectly(a, b); // sent again after a reconnect: nothing changes

    assertThat(snapshot(b.directory())).isEqualTo(snapshot(a.directory()));
    assertThat(b.scan().recorded()).as("what arrived directly is not bob's own edit").isEmpty();
    assertThat(b.appliedSeq()).isEqualTo(1);

    log.push(a); // the Mothership is back: alice's events are sequenced
    List<ApplyResult> pulled = log.pull(b);
    assertThat(pulled).allSatisfy(r -> assertThat(r.treeUnchanged()).isTrue());
    assertThat(snapshot(b.directory())).isEqualTo(snapshot(a.directory()));
    assertThat(b.scan().recorded()).isEmpty();
    assertThat(b.appliedSeq()).isEqualTo(log.events.size());
  }

  @Test
  void twoOfflineEditsOfOnePath_showTheConflictToBoth_andTheMothershipsOrderWins_bobFirst() throws Exception {
    offlineConflict(true);
  }

  @Test
  void twoOfflineEditsOfOnePath_showTheConflictToBoth_andTheMothershipsOrderWins_aliceFirst() throws Exception {
    offlineConflict(false);
  }

  private void offlineConflict(boolean bobFirst) throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "notes.txt", "v1");
    log.sync(a, b);
    write(a.directory(), "notes.txt", "alice offline");
    write(b.directory(), "notes.txt", "bob offline");
    a.scan();
    b.scan();
    PendingEvent alices = a.pending(1).get(0);
    PendingEvent bobs = b.pending(1).get(0);
    String aliceCopy = ConflictRule.copyName(SyncPath.parse("notes.txt"), ALICE, alices.change()).value();
    String bobCopy = ConflictRule.copyName(SyncPath.parse("notes.txt"), BOB, bobs.change()).value();

    ApplyResult atBob = b.applyProvisional(alices.id(), alices.change(),
        a.content(alices.change().hash()).orElseThrow());
    sendDirectly(b, a);
    sendDirectly(a, b); // received twice: nothing more

    assertThat(atBob.conflictCopies()).extracting(SyncPath::value).containsExactly(aliceCopy);
    assertThat(aliceCopy).startsWith("notes.sync-conflict-").endsWith("-" + ALICE.value() + ".txt");
    assertThat(snapshot(b.directory())).as("bob sees alice's version beside his")
        .containsOnly(Map.entry("notes.txt", "bob offline"), Map.entry(aliceCopy, "alice offline"));
    assertThat(snapshot(a.directory())).as("alice sees bob's version beside hers")
        .containsOnly(Map.entry("notes.txt", "alice offline"), Map.entry(bobCopy, "bob offline"));
    assertThat(a.scan().recorded()).as("a provisional copy is not alice's own edit").isEmpty();
    assertThat(b.scan().recorded()).isEmpty();

    log.push(bobFirst ? b : a); // the Mothership is back: its order decides
    log.push(bobFirst ? a : b);
    log.pull(a);
    log.pull(b);
    String loserCopy = bobFirst ? aliceCopy : bobCopy;
    Map<String, String> expected = Map.of("notes.txt", bobFirst ? "bob offline" : "alice offline", loserCopy,
        bobFirst ? "alice offline" : "bob offline");
    assertThat(snapshot(a.directory())).isEqualTo(expected);
    assertThat(snapshot(b.directory())).isEqualTo(expected);
    assertThat(log.events).as("the loser's copy is the Mothership's conflict copy, by the same name")
        .anySatisfy(e -> assertThat(e.path().value()).isEqualTo(loserCopy));
    assertThat(a.scan().recorded()).isEmpty();
    assertThat(b.scan().recorded()).isEmpty();
  }

  @Test
  void whenTheMothershipOrdersAnotherEditFirst_theProvisionalVersionGivesWay() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    Replica c = replica(CAROL);
    write(a.directory(), "notes.txt", "v1");
    log.sync(a, b, c);
    write(a.directory(), "notes.txt", "alice offline");
    write(c.directory(), "notes.txt", "carol, persisted first");
    a.scan();
    c.scan();
    sendDirectly(a, b);
    assertThat(snapshot(b.directory())).containsEntry("notes.txt", "alice offline");

    log.push(c);
    log.push(a);
    log.pull(a);
    log.pull(b);
    log.pull(c);
    assertThat(snapshot(b.directory())).isEqualTo(snapshot(a.directory())).isEqualTo(snapshot(c.directory()))
        .containsEntry("notes.txt", "carol, persisted first").containsValue("alice offline").hasSize(2);
    assertThat(b.scan().recorded()).isEmpty();
  }

  @Test
  void aChangeThatHadNotSeenTheHead_waitsForTheMothership() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "notes.txt", "v1");
    log.sync(a, b);
    write(b.directory(), "notes.txt", "bob, sequenced");
    log.sync(b);
    log.pull(b);
    Change stale = Change.putFile(SyncPath.parse("notes.txt"), ContentHash.of("old base".getBytes()), 8, false,
        1, NOW);
    ApplyResult r = b.applyProvisional(EventId.parse(ALICE.value() + ".9"), stale, "old base".getBytes());
    assertThat(r.deferred()).extracting(SyncPath::value).containsExactly("notes.txt");
    assertThat(snapshot(b.directory())).containsEntry("notes.txt", "bob, sequenced");
  }

  @Test
  void aCrashAfterTheWrite_beforeTheIndexCommit_isAccountedFor() throws Exception {
    Replica a = replica(ALICE);
    write(a.directory(), "crash.txt", "alice offline");
    write(a.directory(), "again.txt", "sent again");
    a.scan();
    List<PendingEvent> sent = a.pending(10);
    java.nio.file.Path dir = Files.createDirectories(temp.resolve("crash/work"));
    java.nio.file.Path db = temp.resolve("crash/home/sync.db");
    PeerSyncStore store = PeerSyncStore.open(db);
    Replica b = Replica.open(store, dir, TestLog.WS, BOB, MAX, CLOCK);
    b.beforeApplyCommit = () -> {
      throw new IllegalStateException("simulated crash");
    };
    for (PendingEvent p : sent) {
      assertThatThrownBy(() -> b.applyProvisional(p.id(), p.change(), a.content(p.change().hash()).orElseThrow()))
          .hasMessage("simulated crash");
    }
    store.close();

    try (PeerSyncStore reopened = track(PeerSyncStore.open(db))) {
      Replica again = Replica.open(reopened, dir, TestLog.WS, BOB, MAX, CLOCK);
      PendingEvent resent = sent.get(0).change().path().value().equals("again.txt") ? sent.get(0) : sent.get(1);
      ApplyResult r = again.applyProvisional(resent.id(), resent.change(), "sent again".getBytes());
      assertThat(r.treeUnchanged()).as("the file was already there: only the index records it").isTrue();
      // crash.txt was not sent again before this scan: it is taken for bob's own put of the same content
      assertThat(again.scan().recorded()).extracting(p -> p.id().author() + " " + p.change().path())
          .containsExactly(BOB + " crash.txt");
      log.push(a);
      log.push(again);
      log.pull(again);
      log.pull(a);
      assertThat(log.events).extracting(e -> e.id().author() + " " + e.path() + " " + e.outcome())
          .containsExactlyInAnyOrder(ALICE + " crash.txt APPLIED", ALICE + " again.txt APPLIED",
              BOB + " crash.txt APPLIED"); // the same entry: no conflict copy, nothing lost
      assertThat(snapshot(dir)).isEqualTo(snapshot(a.directory()));
      assertThat(again.scan().recorded()).isEmpty();
    }
  }

  @Test
  void pendingAfter_pagesThroughTheWal_pastAnyFirstPage() throws Exception {
    Replica a = replica(ALICE);
    for (int i = 0; i < 5; i++) {
      write(a.directory(), "f" + i + ".txt", "file " + i);
    }
    a.scan();
    List<PendingEvent> first = a.pendingAfter(0, 2);
    List<PendingEvent> rest = a.pendingAfter(first.get(1).id().localSeq(), 10);
    assertThat(first).hasSize(2);
    assertThat(rest).hasSize(3).allSatisfy(p -> assertThat(p.id().localSeq()).isGreaterThan(first.get(1).id()
        .localSeq()));
    assertThat(a.pendingAfter(rest.get(2).id().localSeq(), 10)).isEmpty();
  }

  @Test
  void ownEvents_wrongContent_andOversizedFiles_areRefused() throws Exception {
    Replica b = replica(BOB, 16);
    Change put = Change.putFile(SyncPath.parse("x.txt"), ContentHash.of("x".getBytes()), 1, false, 0, NOW);
    assertThatThrownBy(() -> b.applyProvisional(EventId.parse(BOB.value() + ".1"), put, "x".getBytes()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this peer's own event");
    assertThatThrownBy(() -> b.applyProvisional(EventId.parse(ALICE.value() + ".1"), put, "y".getBytes()))
        .isInstanceOf(java.io.IOException.class);
    assertThat(b.directory().resolve("x.txt")).doesNotExist();
    Change big = Change.putFile(SyncPath.parse("big.bin"), ContentHash.of(new byte[17]), 17, false, 0, NOW);
    assertThatThrownBy(() -> b.applyProvisional(EventId.parse(ALICE.value() + ".2"), big, new byte[17]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_file_size");
  }
}
