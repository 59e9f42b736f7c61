package dev.aura.app.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Files and directories of the Mothership's data directory and of a peer's {@code AURA_HOME}: directories are
 * created {@code 0700}, secrets {@code 0600} at creation time (never chmod after writing), every write is
 * atomic (a temporary file renamed over the target).
 */
public final class OwnerOnlyFiles {
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
  /** {@code rw-r--r--}. */
  public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private OwnerOnlyFiles() {}

  /** Creates {@code dir} and any missing parents, each new one owner-only. */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    while (!missing.isEmpty()) {
      Path p = missing.pop();
      try {
        Files.createDirectory(p, attribute(DIRECTORY));
      } catch (FileAlreadyExistsException raced) {
        // created concurrently: fine
      } catch (UnsupportedOperationException noPosix) {
        Files.createDirectory(p);
      }
    }
    if (!Files.isDirectory(absolute)) {
      throw new IOException(absolute + " exists and is not a directory");
    }
  }

  /** Writes a secret: created {@code 0600} before any byte is written, then renamed over {@code file}. */
  public static void writeSecret(Path file, byte[] content) throws IOException {
    write(file, content, SECRET);
  }

  /** Writes a secret given as text (UTF-8). */
  public static void writeSecret(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      write(file, bytes, SECRET);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Writes a file others may read ({@code 0644}), atomically. */
  public static void writePublic(Path file, String content) throws IOException {
    write(file, content.getBytes(StandardCharsets.UTF_8), PUBLIC);
  }

  private static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    createDirectories(parent);
    Path temp = parent.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel = open(temp, permissions)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static FileChannel open(Path temp, Set<PosixFilePermission> permissions) throws IOException {
    try {
      return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          attribute(permissions));
    } catch (UnsupportedOperationException noPosix) {
      return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  /** @return the POSIX permissions as {@code rw-------}, or empty where the file system has none */
  public static Optional<String> permissions(Path path) {
    try {
      return Optional.of(PosixFilePermissions.toString(
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
    } catch (UnsupportedOperationException | IOException e) {
      return Optional.empty();
    }
  }

  /** @return whether group or others have any permission on {@code path} */
  public static boolean isOpenToOthers(Path path) {
    return permissions(path).map(p -> !p.endsWith("------")).orElse(false);
  }

  /** Reads a small text file, trimmed. */
  public static String readSmall(Path file, int maxBytes) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(file + " is " + size + " bytes, expected at most " + maxBytes);
    }
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
  }
}
