package dev.aura.sync;

import dev.aura.spi.PeerId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides what a change does to a workspace, as a pure function of the change and the path's current head:
 * the Mothership calls it once per event, in sequence order, so every peer that applies the events converges
 * to the same tree.
 *
 * <ul>
 *   <li>No head, or the author had seen the head ({@code basedOn >= head.seq}, or the head is the author's own
 *       earlier event: a peer sees what it wrote): the change takes effect.
 *   <li>The author had not seen the head, but both leave the same entry behind: it takes effect (a no-op).
 *   <li>A put against a deleted path: it takes effect (nothing is lost).
 *   <li>A deletion against an edit it had not seen: {@link SyncEvent.Outcome#SUPERSEDED}; the edit stays.
 *   <li>A put against a different put it had not seen: the one persisted first stays at the path; this one
 *       becomes a conflict copy beside it, named by {@link #copyName} after its author and time.
 * </ul>
 */
public final class ConflictRule {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private ConflictRule() {}

  /**
   * What a resolved change does.
   *
   * @param outcome applied, conflict copy or superseded
   * @param change the change as it takes effect (moved to the copy's path for a conflict copy)
   * @param conflictOf the edited path for a conflict copy; null otherwise
   */
  public record Resolution(SyncEvent.Outcome outcome, Change change, SyncPath conflictOf) {}

  /**
   * @param id the incoming event's id (its author and place in the author's WAL)
   * @param change the incoming change
   * @param heads the current head of any path of the workspace (empty when the path never held anything)
   * @return what the change does
   */
  public static Resolution resolve(EventId id, Change change, Function<SyncPath, Optional<PathHead>> heads) {
    PeerId author = id.author();
    Optional<PathHead> head = heads.apply(change.path());
    // Two deletions leave the same result, so past this line a change against a deleted path is a put.
    if (head.isEmpty() || seen(id, change, head.get()) || change.sameResultAs(head.get().change())
        || !head.get().exists()) {
      return new Resolution(SyncEvent.Outcome.APPLIED, change, null);
    }
    if (change.op() == Change.Op.DELETE) {
      return new Resolution(SyncEvent.Outcome.SUPERSEDED, change, null);
    }
    SyncPath copy = copyName(change.path(), author, change);
    for (int n = 2; heads.apply(copy).map(PathHead::exists).orElse(false); n++) {
      copy = copyName(change.path(), author, change, n);
    }
    return new Resolution(SyncEvent.Outcome.CONFLICT_COPY, change.at(copy), change.path());
  }

  /** @return whether the author of {@code id} had seen {@code head} when it made {@code change} */
  static boolean seen(EventId id, Change change, PathHead head) {
    return change.basedOn() >= head.seq()
        || (head.id().author().equals(id.author()) && head.id().localSeq() < id.localSeq());
  }

  /**
   * The conflict copy of {@code path} written by {@code author}: {@code notes.sync-conflict-20261201-094512-
   * peer_0a1b2c3d.txt} beside {@code notes.txt} (the time is the author's, UTC).
   */
  public static SyncPath copyName(SyncPath path, PeerId author, Change change) {
    return copyName(path, author, change, 1);
  }

  private static SyncPath copyName(SyncPath path, PeerId author, Change change, int n) {
    String name = path.fileName();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    String tag = ".sync-conflict-" + STAMP.format(change.authoredAt()) + "-" + author.value()
        + (n > 1 ? "-" + n : "");
    String copy = stem + tag + ext;
    if (utf8Length(copy) > SyncPath.MAX_SEGMENT_BYTES) {
      String shortExt = truncate(ext, 20, 20);
      int stemBudget = SyncPath.MAX_SEGMENT_BYTES - utf8Length(tag) - utf8Length(shortExt);
      copy = truncate(stem, 100, stemBudget) + tag + shortExt;
    }
    return path.withFileName(copy);
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** The longest prefix of at most {@code maxChars} chars and {@code maxBytes} UTF-8 bytes, whole code points. */
  private static String truncate(String s, int maxChars, int maxBytes) {
    int end = 0;
    int bytes = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int next = end + Character.charCount(cp);
      bytes += utf8Length(new String(Character.toChars(cp)));
      if (next > maxChars || bytes > maxBytes) {
        break;
      }
      end = next;
    }
    return s.substring(0, end);
  }

  /** @return whether a file name is a conflict copy's */
  public static boolean isConflictCopy(String fileName) {
    return fileName.contains(".sync-conflict-");
  }
}
