package dev.aura.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * One change a peer made to its directory: the payload of an event.
 *
 * <p>A {@link Op#PUT} of a {@link EntryKind#FILE} carries the content's hash, size and executable bit; a
 * {@code PUT} of a {@link EntryKind#SYMLINK} carries the link's target, as written (a symlink is synced as a
 * link, never followed); a {@link Op#DELETE} carries only the path. A rename is a delete of the old path and
 * a put of the new one (content is addressed by hash, so it is not sent again). Directories are not synced
 * on their own, as in Git: they exist where synced files are.
 *
 * @param op put or delete
 * @param path where
 * @param kind file or symlink (for a delete: what was deleted)
 * @param hash a file's content hash; null otherwise
 * @param size a file's size in bytes; 0 otherwise
 * @param executable a file's executable bit; false otherwise
 * @param linkTarget a symlink's target; null otherwise
 * @param basedOn the workspace sequence of the version of {@code path} the author had when it made the
 *     change, 0 when it had none: how the Mothership tells an edit from a concurrent edit
 * @param authoredAt when the author recorded it, by the author's clock (names conflict copies)
 */
public record Change(Op op, SyncPath path, EntryKind kind, ContentHash hash, long size, boolean executable,
    String linkTarget, long basedOn, Instant authoredAt) {

  /** What a change does. */
  public enum Op {
    /** Creates or replaces the entry at the path. */
    PUT,
    /** Removes the entry at the path. */
    DELETE
  }

  /** What a change is about. */
  public enum EntryKind {
    /** A regular file. */
    FILE,
    /** A symbolic link. */
    SYMLINK
  }

  /** Longest symlink target, in characters. */
  public static final int MAX_LINK_TARGET = 4096;

  /** @throws IllegalArgumentException when the fields do not fit the operation and kind */
  public Change {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(authoredAt, "authoredAt");
    if (basedOn < 0) {
      throw new IllegalArgumentException("basedOn must not be negative");
    }
    if (op == Op.PUT && kind == EntryKind.FILE) {
      if (hash == null || size < 0 || linkTarget != null) {
        throw new IllegalArgumentException("a file put needs a hash and a size, and no link target");
      }
    } else if (op == Op.PUT) {
      if (linkTarget == null || linkTarget.isEmpty() || linkTarget.length() > MAX_LINK_TARGET
          || linkTarget.indexOf('\0') >= 0 || hash != null || size != 0 || executable) {
        throw new IllegalArgumentException("a symlink put needs a target (1 to " + MAX_LINK_TARGET
            + " characters, no NUL) and nothing else");
      }
    } else if (hash != null || size != 0 || executable || linkTarget != null) {
      throw new IllegalArgumentException("a delete carries only its path");
    }
  }

  /** A file written with this content. */
  public static Change putFile(SyncPath path, ContentHash hash, long size, boolean executable, long basedOn,
      Instant at) {
    return new Change(Op.PUT, path, EntryKind.FILE, hash, size, executable, null, basedOn, at);
  }

  /** A symlink to {@code target}. */
  public static Change putSymlink(SyncPath path, String target, long basedOn, Instant at) {
    return new Change(Op.PUT, path, EntryKind.SYMLINK, null, 0, false, target, basedOn, at);
  }

  /** A deletion. */
  public static Change delete(SyncPath path, EntryKind kind, long basedOn, Instant at) {
    return new Change(Op.DELETE, path, kind, null, 0, false, null, basedOn, at);
  }

  /** @return whether both leave the same entry behind (same kind and content, or both deletions) */
  public boolean sameResultAs(Change other) {
    if (op != other.op) {
      return false;
    }
    if (op == Op.DELETE) {
      return true;
    }
    return kind == other.kind && Objects.equals(hash, other.hash) && executable == other.executable
        && Objects.equals(linkTarget, other.linkTarget);
  }

  /** @return the same change at another path (a conflict copy) */
  public Change at(SyncPath other) {
    return new Change(op, other, kind, hash, size, executable, linkTarget, basedOn, authoredAt);
  }
}
