package dev.aura.sync.internal;

import dev.aura.sync.SyncStoreException;
import dev.aura.sync.SyncStoreException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite and file system failures into {@link SyncStoreException}s an operator can act on. */
public final class Failures {
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_NOTADB = 26;

  private static final String LEFT_AS_IT_IS = "it was left as it is: move it aside and run aura sync again to"
      + " start a fresh one (local files are kept and rescanned)";

  private Failures() {}

  /** @param doing what failed, for example "recording local changes" */
  public static SyncStoreException sql(SQLException e, Path file, String doing) {
    int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_FULL || isNoSpace(e)) {
      return diskFull(file, doing, e);
    }
    return switch (code) {
      case SQLITE_NOTADB, SQLITE_CORRUPT -> new SyncStoreException(Reason.CORRUPT, file + " is not a readable"
          + " Aura sync database (SQLite: " + sqliteReason(e) + ") while " + doing + "; " + LEFT_AS_IT_IS, e);
      case SQLITE_BUSY, SQLITE_LOCKED -> new SyncStoreException(Reason.BUSY, file + " is locked by another"
          + " process while " + doing + ": is another 'aura sync' running with the same AURA_HOME?", e);
      default -> new SyncStoreException(Reason.IO, "could not use " + file + " while " + doing + " (SQLite: "
          + sqliteReason(e) + ")", e);
    };
  }

  /** A row that does not decode: the file is corrupt, and is left as it is. */
  public static SyncStoreException corruptRow(CorruptRowException e, Path file, String doing) {
    return new SyncStoreException(Reason.CORRUPT, file + " is corrupt: " + e.getMessage() + " (while " + doing
        + "); " + LEFT_AS_IT_IS, e);
  }

  /** @param what the file or directory, for the message */
  public static SyncStoreException io(IOException e, Path what, String doing) {
    if (isNoSpace(e)) {
      return diskFull(what, doing, e);
    }
    return new SyncStoreException(Reason.IO, "could not use " + what + " while " + doing + ": " + describe(e), e);
  }

  private static SyncStoreException diskFull(Path what, String doing, Exception e) {
    return new SyncStoreException(Reason.DISK_FULL, "disk full: no space left on the device holding " + what
        + " while " + doing + "; nothing of it was recorded or applied (what was recorded before is kept):"
        + " free some space and run aura sync again", e);
  }

  /** @return whether {@code e} or one of its causes says the device is full */
  public static boolean isNoSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("SQLITE_FULL"))) {
        return true;
      }
      if (t instanceof SQLException s && (s.getErrorCode() & 0xff) == SQLITE_FULL) {
        return true;
      }
    }
    return false;
  }

  /** @return a one-line description of an I/O failure, without a stack trace */
  public static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return e.getMessage() == null ? type : type + ": " + e.getMessage();
  }

  private static String sqliteReason(SQLException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    int bracket = m.indexOf(']');
    return (bracket >= 0 ? m.substring(bracket + 1) : m).trim();
  }
}
