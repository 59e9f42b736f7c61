package dev.aura.sync;

import static dev.aura.sync.Trees.snapshot;
import static dev.aura.sync.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaConvergenceTest extends ReplicaFixture {

  @Test
  void twoReplicas_convergeOnCreateModifyDeleteRenameInNestedDirectories() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "README.md", "hello");
    write(a.directory(), "src/main/Widget.java", "class Widget {}");
    write(a.directory(), "src/test/WidgetTest.java", "class WidgetTest {}");
    log.sync(a, b);
    assertThat(snapshot(b.directory())).isEqualTo(snapshot(a.directory()))
        .containsEntry("src/main/Widget.java", "class Widget {}");

    write(b.directory(), "README.md", "hello, world");                       // modify on B
    Files.delete(b.directory().resolve("src/test/WidgetTest.java"));         // delete on B
    log.sync(b, a);
    assertThat(snapshot(a.directory())).containsEntry("README.md", "hello, world")
        .doesNotContainKeys("src/test/WidgetTest.java", "src/test");         // emptied directory removed on A
    Files.delete(b.directory().resolve("src/test"));                         // B's user left it behind
    assertThat(snapshot(a.directory())).isEqualTo(snapshot(b.directory()));

    Files.createDirectories(a.directory().resolve("lib"));                   // rename on A, into a new dir
    Files.move(a.directory().resolve("src/main/Widget.java"), a.directory().resolve("lib/Widget.java"));
    List<PendingEvent> rename = a.scan().recorded();
    assertThat(rename).extracting(p -> p.change().op() + " " + p.change().path())
        .containsExactly("DELETE src/main/Widget.java", "PUT lib/Widget.java");
    log.push(a);
    log.pull(a);
    log.pull(b);
    assertThat(snapshot(b.directory())).isEqualTo(Map.of("README.md", "hello, world", "lib", "/",
        "lib/Widget.java", "class Widget {}"));                              // B removed the emptied src/main
    assertThat(snapshot(a.directory())).containsEntry("src/main", "/");     // A's user left it: not synced
    assertThat(a.scan().recorded()).isEmpty();
    assertThat(b.scan().recorded()).as("what apply wrote is not a local change").isEmpty();
  }

  @Test
  void emptyDirectories_areNotSynced_andParentsAreRemovedWhenEmptied() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    Files.createDirectories(a.directory().resolve("empty/deeper"));
    write(a.directory(), "x/y/z/file.txt", "z");
    assertThat(a.scan().recorded()).extracting(p -> p.change().path().value()).containsExactly("x/y/z/file.txt");
    log.push(a);
    log.pull(b);
    assertThat(snapshot(b.directory())).containsOnlyKeys("x", "x/y", "x/y/z", "x/y/z/file.txt");

    Files.delete(a.directory().resolve("x/y/z/file.txt"));
    log.sync(a, b);
    assertThat(snapshot(b.directory())).isEmpty();
    assertThat(snapshot(a.directory())).containsOnlyKeys("empty", "empty/deeper", "x", "x/y", "x/y/z");
  }

  @Test
  void executableBit_isSynced_includingAChmodAlone() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    Path script = write(a.directory(), "bin/build.sh", "#!/bin/sh\n");
    Trees.executable(script, true);
    log.sync(a, b);
    assertThat(snapshot(b.directory())).containsEntry("bin/build.sh", "#!/bin/sh\n [x]");

    Trees.executable(b.directory().resolve("bin/build.sh"), false);
    List<PendingEvent> chmod = b.scan().recorded();
    assertThat(chmod).singleElement().satisfies(p -> {
      assertThat(p.change().executable()).isFalse();
      assertThat(p.change().hash()).isEqualTo(ContentHash.of("#!/bin/sh\n".getBytes()));
    });
    log.push(b);
    log.pull(a);
    assertThat(snapshot(a.directory())).containsEntry("bin/build.sh", "#!/bin/sh\n");
  }

  @Test
  void symlinks_areSyncedAsLinks_evenPointingOutside_andNeverFollowed() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    Path outside = Files.createDirectories(temp.resolve("outside"));
    write(outside, "secret.txt", "not synced");
    write(a.directory(), "docs/guide.md", "guide");
    Files.createSymbolicLink(a.directory().resolve("docs/latest"), Path.of("guide.md"));
    Files.createSymbolicLink(a.directory().resolve("escape"), outside);
    Files.createSymbolicLink(a.directory().resolve("dangling"), Path.of("../../nowhere"));

    List<PendingEvent> recorded = a.scan().recorded();
    assertThat(recorded).extracting(p -> p.change().path().value() + " " + p.change().kind() + " "
        + p.change().linkTarget())
        .containsExactlyInAnyOrder("docs/guide.md FILE null", "docs/latest SYMLINK guide.md",
            "escape SYMLINK " + outside, "dangling SYMLINK ../../nowhere");
    log.push(a);
    log.pull(b);
    Map<String, String> onB = snapshot(b.directory());
    assertThat(onB).isEqualTo(snapshot(a.directory()))
        .containsEntry("escape", "-> " + outside).containsEntry("dangling", "-> ../../nowhere")
        .doesNotContainKey("escape/secret.txt");
    assertThat(Files.isSymbolicLink(b.directory().resolve("escape"))).isTrue();

    // a link replaced by a file, and a file by a link
    Files.delete(b.directory().resolve("docs/latest"));
    write(b.directory(), "docs/latest", "now a file");
    Files.delete(b.directory().resolve("docs/guide.md"));
    Files.createSymbolicLink(b.directory().resolve("docs/guide.md"), Path.of("latest"));
    log.sync(b, a);
    assertThat(snapshot(a.directory())).isEqualTo(snapshot(b.directory()))
        .containsEntry("docs/latest", "now a file").containsEntry("docs/guide.md", "-> latest");
    assertThat(snapshot(outside)).containsOnlyKeys("secret.txt");
  }

  @Test
  void concurrentEdits_convergeToOneTree_withOneConflictCopyNamedAfterTheLoserAndItsTime() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    Replica c = replica(CAROL);
    write(a.directory(), "notes.txt", "v0");
    log.sync(a, b, c);

    write(a.directory(), "notes.txt", "alice's edit");
    write(b.directory(), "notes.txt", "bob's edit");
    a.scan();
    b.scan();
    log.push(a);                         // persisted first: wins
    List<SyncEvent> bobs = log.push(b);
    assertThat(bobs).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(SyncEvent.Outcome.CONFLICT_COPY);
      assertThat(e.path().value()).isEqualTo("notes.sync-conflict-20261201-094512-peer_0000000b.txt");
    });
    log.pull(b);                         // B first sees A's edit while its own is pending, then its copy
    log.pull(a);
    log.pull(c);

    Map<String, String> expected = Map.of("notes.txt", "alice's edit",
        "notes.sync-conflict-20261201-094512-peer_0000000b.txt", "bob's edit");
    assertThat(snapshot(a.directory())).isEqualTo(expected);
    assertThat(snapshot(b.directory())).isEqualTo(expected);
    assertThat(snapshot(c.directory())).isEqualTo(expected);
    for (Replica r : List.of(a, b, c)) {
      assertThat(r.scan().recorded()).as("nothing left to upload on " + r.peer()).isEmpty();
      assertThat(r.pending(10)).isEmpty();
    }
  }

  @Test
  void concurrentEdit_whileRemoteVersionWasDeferred_staysConcurrent() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "f.txt", "v0");
    log.sync(a, b);
    write(a.directory(), "f.txt", "alice");
    log.sync(a);                          // persisted, but B has not pulled it
    write(b.directory(), "f.txt", "bob 1");
    b.scan();
    log.pull(b);                          // deferred: B's edit is pending
    assertThat(Files.readString(b.directory().resolve("f.txt"))).isEqualTo("bob 1");
    write(b.directory(), "f.txt", "bob 2 (longer)");
    List<PendingEvent> second = b.scan().recorded();
    assertThat(second).singleElement().satisfies(p -> assertThat(p.change().basedOn())
        .as("derived from the version B had, not from the deferred one").isEqualTo(1));
    log.push(b);
    log.pull(a);
    log.pull(b);
    assertThat(snapshot(b.directory())).isEqualTo(snapshot(a.directory())).containsEntry("f.txt", "alice")
        .containsValue("bob 2 (longer)");
  }

  @Test
  void deleteVersusEdit_theEditWins_inEitherOrder() throws Exception {
    for (boolean deleteFirst : new boolean[] {true, false}) {
      TestLog fresh = new TestLog();
      Path base = Files.createDirectories(temp.resolve("order-" + deleteFirst));
      try (PeerSyncStore sa = PeerSyncStore.open(base.resolve("a.db"));
          PeerSyncStore sb = PeerSyncStore.open(base.resolve("b.db"))) {
        Replica a = Replica.open(sa, Files.createDirectories(base.resolve("a")), TestLog.WS, ALICE, MAX, CLOCK);
        Replica b = Replica.open(sb, Files.createDirectories(base.resolve("b")), TestLog.WS, BOB, MAX, CLOCK);
        write(a.directory(), "dir/f.txt", "v0");
        fresh.sync(a, b);
        Files.delete(a.directory().resolve("dir/f.txt"));
        write(b.directory(), "dir/f.txt", "edited");
        a.scan();
        b.scan();
        if (deleteFirst) {
          fresh.push(a);
          fresh.push(b);
        } else {
          fresh.push(b);
          assertThat(fresh.push(a)).singleElement().extracting(SyncEvent::outcome)
              .isEqualTo(SyncEvent.Outcome.SUPERSEDED);
        }
        fresh.pull(a);
        fresh.pull(b);
        assertThat(snapshot(a.directory())).as("delete first: " + deleteFirst)
            .isEqualTo(snapshot(b.directory())).containsEntry("dir/f.txt", "edited");
        assertThat(a.scan().recorded()).isEmpty();
      }
    }
  }

  @Test
  void ignoredEntries_auraignoreRootAndNested_gitAndAuraDirectories_areNotRecorded() throws Exception {
    Replica a = replica(ALICE);
    Path d = a.directory();
    write(d, ".auraignore", "*.log\nbuild/\n!keep.log\n");
    write(d, "app.log", "noise");
    write(d, "keep.log", "kept");
    write(d, "build/out.bin", "binary");
    write(d, "sub/.auraignore", "local.txt\n");
    write(d, "sub/local.txt", "only here");
    write(d, "sub/shared.txt", "shared");
    write(d, "local.txt", "not ignored at the root");
    write(d, ".git/config", "[core]");
    write(d, "vendor/lib/.git/HEAD", "ref");
    write(d, "vendor/lib/code.c", "int x;");
    write(d, ".aura/notes", "private");
    write(d, "nested/.aura/x", "private too");

    assertThat(a.scan().recorded()).extracting(p -> p.change().path().value()).containsExactlyInAnyOrder(
        ".auraignore", "keep.log", "sub/.auraignore", "sub/shared.txt", "local.txt", "vendor/lib/code.c");
    Files.delete(d.resolve("app.log"));
    Files.delete(d.resolve(".git/config"));
    assertThat(a.scan().recorded()).isEmpty();
  }

  @Test
  void largeFile_isSkippedWithAMessage_andTheOthersStillSync() throws Exception {
    Replica a = replica(ALICE, 64 * 1024);
    Replica b = replica(BOB, 64 * 1024);
    Files.write(Files.createDirectories(a.directory().resolve("media")).resolve("big.iso"), new byte[70 * 1024]);
    write(a.directory(), "small.txt", "small");
    ScanReport report = a.scan();
    assertThat(report.skipped()).containsExactly(
        "media/big.iso is 0.1 MiB, larger than [sync] max_file_size (64 KiB): not synced");
    assertThat(report.recorded()).extracting(p -> p.change().path().value()).containsExactly("small.txt");
    log.push(a);
    log.pull(b);
    assertThat(snapshot(b.directory())).containsOnlyKeys("small.txt");
    assertThat(a.scan().recorded()).as("a skipped file is not a deletion either").isEmpty();
  }

  @Test
  void largeFile_messageNamesSizesInMebibytes() throws Exception {
    Replica a = replica(ALICE, 2L * 1024 * 1024);
    try (var f = new java.io.RandomAccessFile(a.directory().resolve("big.iso").toFile(), "rw")) {
      f.setLength(3L * 1024 * 1024 + 100 * 1024);
    }
    assertThat(a.scan().skipped()).containsExactly(
        "big.iso is 3.1 MiB, larger than [sync] max_file_size (2 MiB): not synced");
  }

  @Test
  void twoEditsBeforeAnAck_areBothRecordedInOrder_andTheFirstContentIsKept() throws Exception {
    Replica a = replica(ALICE);
    Replica b = replica(BOB);
    write(a.directory(), "f.txt", "first");
    PendingEvent first = a.scan().recorded().get(0);
    write(a.directory(), "f.txt", "second, longer");
    PendingEvent second = a.scan().recorded().get(0);
    assertThat(a.pending(10)).containsExactly(first, second);
    assertThat(first.id().localSeq()).isLessThan(second.id().localSeq());
    assertThat(a.content(first.change().hash())).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("first"));
    log.push(a);
    assertThat(log.events).extracting(SyncEvent::outcome).containsOnly(SyncEvent.Outcome.APPLIED);
    log.pull(a);
    log.pull(b);
    assertThat(snapshot(b.directory())).isEqualTo(Map.of("f.txt", "second, longer"));
    assertThat(a.pending(10)).isEmpty();
    assertThat(a.content(first.change().hash())).as("acked rows are trimmed").isEmpty();
  }

  @Test
  void aSameSizeEdit_rightAfterAScan_isStillRecorded() throws Exception {
    Replica a = replica(ALICE);
    Path f = write(a.directory(), "f.txt", "v1");
    a.scan();
    Files.writeString(f, "v2");                     // same size, very likely the same mtime tick
    Files.setLastModifiedTime(f, Files.getLastModifiedTime(a.directory().resolve(".aura/tmp/scan-stamp")));
    assertThat(a.scan().recorded()).singleElement().satisfies(p ->
        assertThat(p.change().hash()).isEqualTo(ContentHash.of("v2".getBytes())));
    assertThat(a.scan().recorded()).isEmpty();
  }
}
