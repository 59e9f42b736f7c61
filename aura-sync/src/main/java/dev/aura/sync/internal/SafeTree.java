package dev.aura.sync.internal;

import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * Reads and writes entries of a synced directory without ever following a symlink or leaving the directory:
 * every parent of a path must be a real directory, checked with {@code NOFOLLOW_LINKS}. Writes go to a temp
 * file under {@code .aura/tmp/}, are fsynced and moved into place atomically.
 */
public final class SafeTree {
  private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");

  /** A path that cannot be touched safely; the message says why. */
  public static final class UnsafePathException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsafePathException(String message) {
      super(message);
    }
  }

  private final Path root;
  private final Path tmp;

  public SafeTree(Path root, Path tmp) {
    this.root = root;
    this.tmp = tmp;
  }

  public Path root() {
    return root;
  }

  /**
   * @param createParents create missing parent directories
   * @return where {@code p} is, or null when a parent is missing and {@code createParents} is false
   * @throws UnsafePathException when a parent is a symlink or not a directory
   */
  public Path resolve(SyncPath p, boolean createParents) throws UnsafePathException, IOException {
    String[] segments = p.segments();
    Path dir = root;
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException missing) {
        if (!createParents) {
          return null;
        }
        try {
          Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
          i--; // look again at what appeared
          dir = dir.getParent();
        }
        continue;
      }
      String parent = String.join("/", java.util.Arrays.copyOf(segments, i + 1));
      if (a.isSymbolicLink()) {
        throw new UnsafePathException(p + ": its parent '" + parent + "' is a symlink here, which Aura never"
            + " follows");
      }
      if (!a.isDirectory()) {
        throw new UnsafePathException(p + ": its parent '" + parent + "' is not a directory here");
      }
    }
    return dir.resolve(segments[segments.length - 1]);
  }

  /** @return what is at {@code p}, or null when nothing is */
  public DiskEntry stat(SyncPath p) throws UnsafePathException, IOException {
    Path file = resolve(p, false);
    return file == null ? null : DiskEntry.read(file);
  }

  /** @return the hash of the regular file at {@code p} (opened without following a symlink) */
  public ContentHash hash(SyncPath p) throws UnsafePathException, IOException {
    Path file = resolve(p, false);
    if (file == null) {
      throw new NoSuchFileException(p.value());
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return ContentHash.of(in);
    }
  }

  /** @return whether the entry on disk is exactly what {@code put} leaves behind (hashing a file if needed) */
  public boolean holds(SyncPath p, DiskEntry disk, Change put) throws UnsafePathException, IOException {
    if (disk == null || put.op() != Change.Op.PUT) {
      return false;
    }
    if (put.kind() == Change.EntryKind.SYMLINK) {
      return disk.type() == DiskEntry.Type.SYMLINK && disk.linkTarget().equals(put.linkTarget());
    }
    return disk.type() == DiskEntry.Type.FILE && disk.size() == put.size() && disk.executable() == put.executable()
        && hash(p).equals(put.hash());
  }

  /**
   * Writes a file from {@code in}, verifying hash and size before anything is moved into place.
   *
   * @return what is now on disk
   * @throws IOException when the content does not match (nothing is written) or writing fails
   */
  public Observed writeFile(SyncPath p, ContentHash hash, long size, boolean executable, InputStream in)
      throws UnsafePathException, IOException {
    Path target = resolve(p, true);
    refuseDirectory(p, target);
    Path temp = Files.createTempFile(tmp, "apply-", ".tmp");
    try {
      MessageDigest digest = ContentHash.sha256();
      long written = 0;
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          InputStream source = in) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = source.read(buffer)) > 0; ) {
          written += n;
          if (written > size) {
            throw new IOException("the content for " + p + " is longer than the " + size + " bytes its event"
                + " names: nothing written");
          }
          digest.update(buffer, 0, n);
          ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        }
        ContentHash actual = new ContentHash(HexFormat.of().formatHex(digest.digest()));
        if (written != size || !actual.equals(hash)) {
          throw new IOException("the content for " + p + " has " + written + " bytes and hash "
              + actual.abbreviated() + ", expected " + size + " bytes and hash " + hash.abbreviated()
              + ": nothing written");
        }
        out.force(true);
      }
      Files.setPosixFilePermissions(temp, executable ? EXECUTABLE : REGULAR);
      target = resolve(p, true); // again, right before the move
      refuseDirectory(p, target);
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
    DiskEntry now = DiskEntry.read(target);
    return new Observed(Change.EntryKind.FILE, now.size(), now.mtimeNanos(), now.executable(), hash, null, true);
  }

  /** Creates (or replaces with) a symlink to {@code linkTarget}, as written; never resolves it. */
  public Observed writeSymlink(SyncPath p, String linkTarget) throws UnsafePathException, IOException {
    Path target = resolve(p, true);
    refuseDirectory(p, target);
    Path temp = tmp.resolve("link-" + Long.toUnsignedString(System.nanoTime(), 36) + "-"
        + Integer.toUnsignedString(p.hashCode(), 36));
    try {
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, Path.of(linkTarget));
      target = resolve(p, true);
      refuseDirectory(p, target);
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new Observed(Change.EntryKind.SYMLINK, 0, 0, false, null, linkTarget, false);
  }

  /**
   * Removes the file or symlink at {@code p}, then the parents that became empty (not the root).
   *
   * @return whether something was removed
   */
  public boolean delete(SyncPath p) throws UnsafePathException, IOException {
    Path target = resolve(p, false);
    if (target == null) {
      return false;
    }
    DiskEntry disk = DiskEntry.read(target);
    if (disk == null) {
      return false;
    }
    if (disk.type() == DiskEntry.Type.DIRECTORY) {
      throw new UnsafePathException(p + " is a directory here: not removed");
    }
    Files.delete(target);
    fsyncDirectory(target.getParent());
    for (Path dir = target.getParent(); !dir.equals(root); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        break;
      }
    }
    return true;
  }

  /** Moves {@code from} to {@code to} (which must not exist), in the same directory tree. */
  public void move(SyncPath from, SyncPath to) throws UnsafePathException, IOException {
    Path source = resolve(from, false);
    Path target = resolve(to, true);
    if (source == null) {
      throw new NoSuchFileException(from.value());
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(to.value());
    }
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(target.getParent());
  }

  private static void refuseDirectory(SyncPath p, Path target) throws UnsafePathException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafePathException(p + " is a directory here: not replaced by a file");
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(target + " is on another file system than .aura/tmp: cannot replace it atomically", e);
    }
    fsyncDirectory(target.getParent());
  }

  /** Makes a rename or unlink in {@code dir} durable (Linux allows fsync on a directory). */
  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // not supported on this platform: the move itself is still atomic
    }
  }
}
