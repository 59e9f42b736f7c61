package dev.aura.sync.internal;

import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;

/**
 * What the replica last saw on disk at a path. {@code racy}: the file's mtime was not older than the scan that
 * saw it, so an edit in the same clock tick could share it; such an entry is hashed again next time (as Git
 * does with racily clean index entries).
 */
public record Observed(Change.EntryKind kind, long size, long mtimeNanos, boolean executable, ContentHash hash,
    String linkTarget, boolean racy) {

  /** @return whether {@code change} (a put) leaves exactly this entry behind */
  public boolean sameContentAs(Change change) {
    if (change.op() != Change.Op.PUT || change.kind() != kind) {
      return false;
    }
    return kind == Change.EntryKind.FILE ? change.hash().equals(hash) && change.executable() == executable
        : change.linkTarget().equals(linkTarget);
  }
}
