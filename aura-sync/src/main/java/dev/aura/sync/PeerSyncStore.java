package dev.aura.sync;

import dev.aura.sync.internal.BindingRow;
import dev.aura.sync.internal.CorruptRowException;
import dev.aura.sync.internal.Failures;
import dev.aura.sync.internal.PeerSql;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The peer's durable sync state: one SQLite file ({@code $AURA_HOME/sync.db}) holding every binding's WAL,
 * index and applied sequence. Created 0600 in a 0700 directory; opened with {@code journal_mode=WAL},
 * {@code synchronous=FULL} (a commit is on disk when it returns) and a busy timeout.
 *
 * <pre>{@code
 * try (PeerSyncStore store = PeerSyncStore.open(auraHome.resolve("sync.db"))) {
 *   for (WalStatus wal : store.walStatus()) { ... }          // aura wal status
 *   Replica replica = Replica.open(store, dir, workspace, me, 64L << 20, Clock.systemUTC());
 * }
 * }</pre>
 *
 * <p>Thread-safe: every operation holds one lock, so replicas of several directories may share a store.
 * Warning: a file written by a newer Aura is refused, never downgraded.
 */
public final class PeerSyncStore implements AutoCloseable {
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private PeerSyncStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens {@code file}, creating it (0600, parent directories 0700) and its tables when missing.
   *
   * @throws SyncStoreException {@link SyncStoreException.Reason#CORRUPT} when the file is not a sync
   *     database (it is left untouched), {@code NEWER_VERSION} when a newer Aura wrote it, {@code IO} otherwise
   */
  public static PeerSyncStore open(Path file) throws SyncStoreException {
    Path path = file.toAbsolutePath().normalize();
    boolean created = createPrivateFile(path);
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + path);
    } catch (SQLException e) {
      throw Failures.sql(e, path, "opening it");
    }
    try {
      int version = PeerSql.userVersion(c);
      if (version > PeerSql.SCHEMA_VERSION) {
        throw new SyncStoreException(SyncStoreException.Reason.NEWER_VERSION, path + " has sync schema version "
            + version + ", newer than this Aura understands (" + PeerSql.SCHEMA_VERSION + "): upgrade Aura, or"
            + " point AURA_HOME elsewhere; the file was not changed");
      }
      String mode = PeerSql.configure(c, BUSY_TIMEOUT_MILLIS);
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new SyncStoreException(SyncStoreException.Reason.IO, path + " could not be switched to WAL"
            + " journal mode (SQLite kept '" + mode + "'): is it on a network file system?");
      }
      PeerSql.begin(c, true);
      try {
        PeerSql.createSchema(c);
        PeerSql.commit(c);
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw e;
      }
      if (!created) {
        restrictPermissions(path);
      }
      return new PeerSyncStore(path, c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw Failures.sql(e, path, "opening it");
    } catch (SyncStoreException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static boolean createPrivateFile(Path path) throws SyncStoreException {
    try {
      Path parent = path.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
      }
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      try {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return true;
      } catch (FileAlreadyExistsException raced) {
        return false;
      }
    } catch (IOException e) {
      throw Failures.io(e, path, "creating it");
    }
  }

  private static void restrictPermissions(Path path) {
    try {
      if (!Files.isSymbolicLink(path)) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException | UnsupportedOperationException ignored) {
      // not ours to fix (another owner, or no POSIX permissions): the file still works
    }
  }

  /** Status of every binding's WAL, for {@code aura wal status} (needs no directory). */
  public List<WalStatus> walStatus() throws SyncStoreException {
    return read("reading the WAL status", c -> {
      List<WalStatus> out = new ArrayList<>();
      for (BindingRow b : PeerSql.bindings(c)) {
        out.add(Replica.walStatus(c, b));
      }
      return out;
    });
  }

  /** @return the file */
  public Path file() {
    return file;
  }

  /** Closes the connection; replicas opened on this store stop working. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        closeQuietly(connection);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Work on the connection inside one transaction. */
  interface SqlWork<T> {
    T run(Connection c) throws SQLException, SyncStoreException;
  }

  /**
   * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE}, so it never fails halfway on a lock
   * upgrade): committed (fsynced) when it returns, rolled back when it throws.
   */
  <T> T inTransaction(String doing, SqlWork<T> work) throws SyncStoreException {
    return transaction(true, doing, work);
  }

  /** Runs {@code work}, which only reads, in one read transaction (a consistent snapshot). */
  <T> T read(String doing, SqlWork<T> work) throws SyncStoreException {
    return transaction(false, doing, work);
  }

  private <T> T transaction(boolean write, String doing, SqlWork<T> work) throws SyncStoreException {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the sync store " + file + " is closed");
      }
      try {
        PeerSql.begin(connection, write);
        T result = work.run(connection);
        PeerSql.commit(connection);
        return result;
      } catch (SQLException e) {
        rollbackQuietly(connection);
        throw Failures.sql(e, file, doing);
      } catch (CorruptRowException e) {
        rollbackQuietly(connection);
        throw Failures.corruptRow(e, file, doing);
      } catch (SyncStoreException | RuntimeException | Error e) {
        rollbackQuietly(connection);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Rolls back, if SQLite has not already (it does by itself on SQLITE_FULL, for example). */
  private static void rollbackQuietly(Connection c) {
    try {
      PeerSql.rollback(c);
    } catch (SQLException ignored) {
      // no transaction left to roll back, or the connection is broken: the next call reports it
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing
    }
  }
}
