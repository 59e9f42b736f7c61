package dev.aura.app.server;

import dev.aura.app.AuraException;
import dev.aura.app.config.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One Mothership per SQLite database: an exclusive lock on {@code <database>.instance} beside it, held
 * while the Mothership runs and released by the operating system when its process ends, even by
 * {@code kill -9}, so a stale lock never needs cleaning up. A separate file, because closing any
 * descriptor of the database itself would drop SQLite's own POSIX locks.
 */
final class InstanceLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws AuraException when another Mothership holds the database */
  static InstanceLock acquire(Path database) throws AuraException {
    Path file = database.resolveSibling(database.getFileName() + ".instance");
    FileChannel channel = null;
    try {
      OwnerOnlyFiles.createDirectories(file.getParent());
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM
      }
      if (lock == null) {
        channel.close();
        throw new AuraException("another Mothership is already running on " + database,
            "an SQLite store serves one Mothership; to run several instances, give them one PostgreSQL store"
                + " ([store] url and key_file in config.toml)");
      }
      return new InstanceLock(channel, lock);
    } catch (IOException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // the lock was not taken
      }
      throw new AuraException("cannot lock " + file, e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process's exit releases it too
    }
  }
}
