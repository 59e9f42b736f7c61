package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.PeerId;
import dev.aura.sync.ConflictRule.Resolution;
import dev.aura.sync.SyncEvent.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every branch of {@link ConflictRule#resolve} and the format of conflict copy names. */
class ConflictRuleTest {
  private static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  private static final PeerId BOB = PeerId.parse("peer_b0b0b0b0");
  private static final Instant AT = Instant.parse("2026-12-01T09:45:12.345Z");
  private static final SyncPath NOTES = SyncPath.parse("docs/notes.txt");
  private static final ContentHash ONE = ContentHash.of("one".getBytes(StandardCharsets.UTF_8));
  private static final ContentHash TWO = ContentHash.of("two".getBytes(StandardCharsets.UTF_8));

  private final Map<SyncPath, PathHead> heads = new HashMap<>();
  private final Function<SyncPath, Optional<PathHead>> lookup = p -> Optional.ofNullable(heads.get(p));

  private static Change put(SyncPath path, ContentHash hash, long basedOn) {
    return Change.putFile(path, hash, 3, false, basedOn, AT);
  }

  private void head(SyncPath path, long seq, PeerId author, long localSeq, Change change) {
    heads.put(path, new PathHead(seq, new EventId(author, localSeq), change));
  }

  private static String copyOf(String name) {
    return ConflictRule.copyName(SyncPath.parse(name), ALICE, put(SyncPath.parse(name), TWO, 0)).value();
  }

  @Test
  void resolve_withNoHead_applies() {
    Change change = put(NOTES, ONE, 0);

    Resolution r = ConflictRule.resolve(new EventId(ALICE, 1), change, lookup);

    assertThat(r).isEqualTo(new Resolution(Outcome.APPLIED, change, null));
  }

  @Test
  void resolve_whenBasedOnTheHead_applies() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    Change change = put(NOTES, TWO, 7);

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), change, lookup))
        .isEqualTo(new Resolution(Outcome.APPLIED, change, null));
  }

  @Test
  void resolve_whenBasedOnALaterSequenceThanTheHead_applies() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), put(NOTES, TWO, 9), lookup).outcome())
        .isEqualTo(Outcome.APPLIED);
  }

  @Test
  void resolve_whenTheHeadIsTheAuthorsOwnEarlierEvent_countsAsSeenAndApplies() {
    head(NOTES, 7, ALICE, 4, put(NOTES, ONE, 0));
    Change change = put(NOTES, TWO, 0);

    assertThat(ConflictRule.resolve(new EventId(ALICE, 5), change, lookup))
        .isEqualTo(new Resolution(Outcome.APPLIED, change, null));
  }

  @Test
  void resolve_whenTheHeadIsTheAuthorsOwnEventWithTheSameOrALaterLocalSeq_isNotSeen() {
    head(NOTES, 7, ALICE, 5, put(NOTES, ONE, 0));

    assertThat(ConflictRule.resolve(new EventId(ALICE, 5), put(NOTES, TWO, 0), lookup).outcome())
        .isEqualTo(Outcome.CONFLICT_COPY);
    assertThat(ConflictRule.resolve(new EventId(ALICE, 2), put(NOTES, TWO, 0), lookup).outcome())
        .isEqualTo(Outcome.CONFLICT_COPY);
  }

  @Test
  void resolve_whenUnseenButLeavingTheSameEntry_applies() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    Change same = Change.putFile(NOTES, ONE, 3, false, 2, AT.plusSeconds(60));

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), same, lookup))
        .isEqualTo(new Resolution(Outcome.APPLIED, same, null));
  }

  @Test
  void resolve_whenUnseenWithTheSameContentButAnotherExecutableBit_isAConflict() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    Change executable = Change.putFile(NOTES, ONE, 3, true, 2, AT);

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), executable, lookup).outcome())
        .isEqualTo(Outcome.CONFLICT_COPY);
  }

  @Test
  void resolve_aPutAgainstAnUnseenDeletion_applies() {
    head(NOTES, 7, BOB, 3, Change.delete(NOTES, Change.EntryKind.FILE, 6, AT));
    Change change = put(NOTES, TWO, 2);

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), change, lookup))
        .isEqualTo(new Resolution(Outcome.APPLIED, change, null));
  }

  @Test
  void resolve_aDeletionAgainstAnUnseenDeletion_appliesAsTheSameResult() {
    head(NOTES, 7, BOB, 3, Change.delete(NOTES, Change.EntryKind.FILE, 6, AT));
    Change change = Change.delete(NOTES, Change.EntryKind.FILE, 2, AT);

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), change, lookup).outcome()).isEqualTo(Outcome.APPLIED);
  }

  @Test
  void resolve_aDeletionAgainstAnUnseenEdit_isSupersededAndTheEditStays() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    Change change = Change.delete(NOTES, Change.EntryKind.FILE, 2, AT);

    assertThat(ConflictRule.resolve(new EventId(ALICE, 1), change, lookup))
        .isEqualTo(new Resolution(Outcome.SUPERSEDED, change, null));
  }

  @Test
  void resolve_aPutAgainstAnUnseenDifferentPut_becomesAConflictCopyNamedAfterItsAuthorAndTime() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    Change change = put(NOTES, TWO, 2);

    Resolution r = ConflictRule.resolve(new EventId(ALICE, 1), change, lookup);

    SyncPath copy = SyncPath.parse("docs/notes.sync-conflict-20261201-094512-peer_0a1b2c3d.txt");
    assertThat(r).isEqualTo(new Resolution(Outcome.CONFLICT_COPY, change.at(copy), NOTES));
  }

  @Test
  void resolve_aSymlinkAgainstAnUnseenFile_becomesAConflictCopy() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    Change link = Change.putSymlink(NOTES, "../README.md", 2, AT);

    Resolution r = ConflictRule.resolve(new EventId(ALICE, 1), link, lookup);

    assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT_COPY);
    assertThat(r.change().linkTarget()).isEqualTo("../README.md");
    assertThat(r.conflictOf()).isEqualTo(NOTES);
  }

  @Test
  void resolve_whenTheCopyNameIsTaken_numbersTheNextCopy() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    SyncPath first = SyncPath.parse("docs/notes.sync-conflict-20261201-094512-peer_0a1b2c3d.txt");
    SyncPath second = SyncPath.parse("docs/notes.sync-conflict-20261201-094512-peer_0a1b2c3d-2.txt");
    head(first, 8, ALICE, 1, put(first, TWO, 0));
    head(second, 9, ALICE, 2, put(second, TWO, 0));

    Resolution r = ConflictRule.resolve(new EventId(ALICE, 3), put(NOTES, TWO, 2), lookup);

    assertThat(r.change().path().value())
        .isEqualTo("docs/notes.sync-conflict-20261201-094512-peer_0a1b2c3d-3.txt");
  }

  @Test
  void resolve_whenTheCopyNameHeldADeletedEntry_reusesIt() {
    head(NOTES, 7, BOB, 3, put(NOTES, ONE, 0));
    SyncPath first = SyncPath.parse("docs/notes.sync-conflict-20261201-094512-peer_0a1b2c3d.txt");
    head(first, 8, BOB, 4, Change.delete(first, Change.EntryKind.FILE, 8, AT));

    assertThat(ConflictRule.resolve(new EventId(ALICE, 3), put(NOTES, TWO, 2), lookup).change().path())
        .isEqualTo(first);
  }

  @Test
  void copyName_keepsTheExtensionLastAndTheTimeInUtcToTheSecond() {
    assertThat(copyOf("notes.txt")).isEqualTo("notes.sync-conflict-20261201-094512-peer_0a1b2c3d.txt");
    assertThat(copyOf("archive.tar.gz")).isEqualTo("archive.tar.sync-conflict-20261201-094512-peer_0a1b2c3d.gz");
    assertThat(copyOf("src/main/Widget.java"))
        .isEqualTo("src/main/Widget.sync-conflict-20261201-094512-peer_0a1b2c3d.java");
  }

  @Test
  void copyName_ofANameWithoutExtension_appendsTheTag() {
    assertThat(copyOf("Makefile")).isEqualTo("Makefile.sync-conflict-20261201-094512-peer_0a1b2c3d");
  }

  @Test
  void copyName_ofADotfile_treatsTheWholeNameAsTheStem() {
    assertThat(copyOf(".gitignore")).isEqualTo(".gitignore.sync-conflict-20261201-094512-peer_0a1b2c3d");
    assertThat(copyOf("dir/.env.local")).isEqualTo("dir/.env.sync-conflict-20261201-094512-peer_0a1b2c3d.local");
  }

  @Test
  void copyName_ofALongAsciiName_shortensTheStemTo100CharsAndTheExtensionTo20AndFits() {
    String stem = "s".repeat(200);
    String copy = copyOf("d/" + stem + ".extension-that-is-far-too-long");

    assertThat(copy).isEqualTo("d/" + "s".repeat(100) + ".sync-conflict-20261201-094512-peer_0a1b2c3d"
        + ".extension-that-is-f");
    assertThat(SyncPath.parse(copy).fileName().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(SyncPath.MAX_SEGMENT_BYTES);
  }

  @Test
  void copyName_ofALongMultibyteName_fitsTheSegmentLimitInBytes() {
    String name = "中".repeat(80) + ".c"; // 242 bytes
    String copy = copyOf(name);

    assertThat(copy.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SyncPath.MAX_SEGMENT_BYTES);
    assertThat(copy).startsWith("中".repeat(60)).endsWith(".sync-conflict-20261201-094512-peer_0a1b2c3d.c");
  }

  @Test
  void copyName_neverSplitsASurrogatePair() {
    String name = "a" + "😀".repeat(60) + ".md"; // 1 + 240 + 3 bytes
    String copy = copyOf(name);

    assertThat(copy).matches("a(😀)+\\.sync-conflict-20261201-094512-peer_0a1b2c3d\\.md");
    assertThat(copy.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SyncPath.MAX_SEGMENT_BYTES);
  }

  @Test
  void isConflictCopy_recognisesCopyNamesOnly() {
    assertThat(ConflictRule.isConflictCopy(copyOf("notes.txt"))).isTrue();
    assertThat(ConflictRule.isConflictCopy("notes.txt")).isFalse();
  }
}
