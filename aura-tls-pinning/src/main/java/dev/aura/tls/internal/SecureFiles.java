package dev.aura.tls.internal;

import dev.aura.tls.TlsPinningException;
import dev.aura.tls.TlsPinningException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/** Atomic file writes with permissions set at creation, and bounded reads. */
public final class SecureFiles {
  /** Owner read and write: private keys. */
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  /** Owner read and write, others read: certificates (the umask may narrow it). */
  public static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** Largest certificate or key file read. */
  public static final long MAX_FILE_BYTES = 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecureFiles() {}

  /**
   * Writes {@code content} to a new temporary file in the target's directory, created with
   * {@code permissions}, flushes it to disk, then moves it over {@code target} atomically. Missing parent
   * directories are created owner-only (0700).
   *
   * @throws IOException also when the file system cannot set POSIX permissions at creation
   */
  public static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, posix(OWNER_ONLY_DIRECTORY, directory));
    }
    Path temporary = directory.resolve("." + absolute.getFileName() + "."
        + HexFormat.of().formatHex(randomBytes()) + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), posix(permissions, temporary))) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("temporary file " + temporary + " already exists", e);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> posix(Set<PosixFilePermission> permissions, Path path)
      throws IOException {
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      throw new IOException("cannot create " + path + " with permissions "
          + PosixFilePermissions.toString(permissions) + ": the file system has no POSIX permissions");
    }
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * Reads a whole file of at most {@link #MAX_FILE_BYTES}.
   *
   * @param what names the file in messages, such as "certificate file"
   * @throws TlsPinningException {@code FILE_UNREADABLE}, naming the path and the cause
   */
  public static byte[] readBounded(Path path, String what) throws TlsPinningException {
    try {
      if (!Files.exists(path)) {
        throw new TlsPinningException(Reason.FILE_UNREADABLE, what + " " + path + " does not exist");
      }
      if (!Files.isRegularFile(path)) {
        throw new TlsPinningException(Reason.FILE_UNREADABLE, what + " " + path + " is not a regular file");
      }
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new TlsPinningException(Reason.FILE_UNREADABLE, what + " " + path + " has " + size
            + " bytes, more than the " + MAX_FILE_BYTES + " a PEM file may have");
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new TlsPinningException(Reason.FILE_UNREADABLE, what + " " + path + " cannot be read ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
  }

  /** @return the file's POSIX permissions such as {@code rw-r--r--}, or empty when unknown */
  public static String permissions(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
