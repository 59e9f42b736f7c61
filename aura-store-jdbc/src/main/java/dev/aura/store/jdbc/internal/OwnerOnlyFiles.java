package dev.aura.store.jdbc.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates files 0600 and directories 0700 at creation time (never chmod after writing), where the file
 * system has POSIX modes; elsewhere with the platform's defaults. Public for
 * {@code dev.aura.store.jdbc.database}; this package is not exported.
 */
public final class OwnerOnlyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);

  private OwnerOnlyFiles() {}

  /**
   * Logs a warning when an existing database file is accessible by group or others: SQLite gives its
   * {@code -wal} and {@code -shm} files the same mode. The file is left as it is (it is not ours to chmod).
   *
   * @param contents what the file holds, for the warning
   */
  public static void warnIfShared(Path file, String contents) throws IOException {
    if (!posix(file)) {
      return;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (!PosixFilePermissions.fromString("rw-------").containsAll(mode)) {
      LOG.warn("{} is accessible by group or others (mode {}); it holds {}: consider chmod 600", file,
          PosixFilePermissions.toString(mode), contents);
    }
  }

  static FileAttribute<?>[] fileAttribute(Path path) {
    return posix(path)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] directoryAttribute(Path path) {
    return posix(path)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
        : new FileAttribute<?>[0];
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Creates the missing parent directories of {@code path}, each owner-only. */
  static void createParentDirectories(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent == null || Files.isDirectory(parent)) {
      return;
    }
    createParentDirectories(parent);
    try {
      Files.createDirectory(parent, directoryAttribute(parent));
    } catch (FileAlreadyExistsException e) {
      // created concurrently; fine
    }
  }

  /**
   * Creates an empty owner-only file if none exists.
   *
   * @return whether this call created it
   */
  public static boolean createIfMissing(Path path) throws IOException {
    if (Files.exists(path)) {
      return false;
    }
    createParentDirectories(path);
    try {
      Files.createFile(path, fileAttribute(path));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }
}
