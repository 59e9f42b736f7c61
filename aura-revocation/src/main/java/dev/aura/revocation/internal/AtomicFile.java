package dev.aura.revocation.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Replaces a file's content so that a crash at any instant leaves the old content or the new, never a mix:
 * the bytes go to {@code .<name>.tmp} (created 0600), are forced to disk, renamed over the target, and the
 * directory is forced so the rename itself is durable. A temporary file left by a crash is overwritten by the
 * next write and never read.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** @return the temporary file a write of {@code target} goes through */
  public static Path temporaryOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  /** @throws IOException also when the file system cannot create files owner-only */
  public static void write(Path target, byte[] content) throws IOException {
    Path temporary = temporaryOf(target);
    Files.deleteIfExists(temporary);
    try (FileChannel channel = FileChannel.open(temporary,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (UnsupportedOperationException e) {
      throw new IOException("cannot create " + temporary + " owner-only: the file system has no POSIX permissions",
          e);
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
