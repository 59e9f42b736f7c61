package dev.aura.sync.internal;

import dev.aura.sync.Change;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.TimeUnit;

/** What is at a path on disk, read without following a symlink. {@code linkTarget} only for a symlink. */
public record DiskEntry(Type type, long size, long mtimeNanos, boolean executable, String linkTarget) {
  /** The kinds of entry the replica tells apart. */
  public enum Type { FILE, SYMLINK, DIRECTORY, OTHER }

  /** @return the entry at {@code path}, or null when there is none */
  public static DiskEntry read(Path path) throws IOException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    return of(path, a);
  }

  /** @return the entry described by {@code a} */
  public static DiskEntry of(Path path, PosixFileAttributes a) throws IOException {
    long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    if (a.isSymbolicLink()) {
      return new DiskEntry(Type.SYMLINK, 0, mtime, false, Files.readSymbolicLink(path).toString());
    }
    if (a.isDirectory()) {
      return new DiskEntry(Type.DIRECTORY, 0, mtime, false, null);
    }
    if (a.isRegularFile()) {
      return new DiskEntry(Type.FILE, a.size(), mtime, a.permissions().contains(PosixFilePermission.OWNER_EXECUTE),
          null);
    }
    return new DiskEntry(Type.OTHER, 0, mtime, false, null);
  }

  /** @return whether this is what {@code o} recorded, by kind, size, mtime, executable bit and link target */
  public boolean statMatches(Observed o) {
    if (o == null) {
      return false;
    }
    if (type == Type.SYMLINK) {
      return o.kind() == Change.EntryKind.SYMLINK && linkTarget.equals(o.linkTarget());
    }
    return type == Type.FILE && o.kind() == Change.EntryKind.FILE && size == o.size()
        && mtimeNanos == o.mtimeNanos() && executable == o.executable();
  }
}
