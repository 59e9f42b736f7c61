package dev.aura.revocation;

import dev.aura.revocation.internal.AtomicFile;
import dev.aura.spi.RevocationSource;
import dev.aura.spi.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A peer's {@link PeerRevocationCache} saved in its {@code $AURA_HOME}, so that it keeps refusing revoked
 * peers after a restart while the Mothership is down. The file holds the signed updates themselves, never a
 * digest of their content, and every one of them is verified again with the Mothership's keys at start.
 *
 * <pre>{@code
 * PeerRevocationCache cache = PeerRevocationCache.builder().keys(() -> mothershipKeys).clock(clock)
 *     .maxStaleness(Duration.ofHours(1)).build();                  // fail closed when stale, by default
 * SavedRevocationCopy saved = SavedRevocationCopy.open(auraHome.resolve("revocations"), cache);
 * try {
 *   saved.load();                                // re-verifies every saved update; refuses a rollback
 * } catch (RevocationSyncException e) {
 *   log.warn(e.getMessage());                    // the copy stays empty (and refuses) until it syncs
 * }
 * saved.sync(revocationSource);                  // on every heartbeat, instead of cache.sync(...)
 * }</pre>
 *
 * <p><b>What is saved.</b> {@value #COPY_FILE}: the newest snapshot (or the first delta from version 0) and
 * every update applied since, in order, plus the newest heartbeat that renewed the copy's freshness; a line
 * format closed by the SHA-256 of everything before it. {@value #MARK_FILE}: the highest version ever saved
 * (the high-water mark). Both are created owner-only (0600) and replaced atomically (temporary file, fsync,
 * rename, fsync of the directory), the copy first, then the mark: a crash at any instant leaves each file
 * old or new, never broken, and never the mark ahead of the copy.
 *
 * <p><b>At start</b>, {@link #load} re-verifies every update with the cache's keys and clock, exactly as
 * {@link PeerRevocationCache#apply} would, into an empty copy, and only then hands it to the cache. Staleness
 * follows the saved updates' own {@code iat}: a copy saved two hours ago with a one-hour bound is loaded
 * stale and, fail-closed, refuses every new direct connection with "revoked: the revocation list is too old
 * to trust: ..." until the peer syncs.
 *
 * <p><b>Refusals</b>, all {@link RevocationSyncException}s; the files are left exactly as found and the
 * cache unchanged:
 * <ul>
 *   <li>{@code rollback}: the copy holds an older version than the mark, or the copy is gone while the mark
 *       is not (a replaced or deleted file);
 *   <li>{@code corrupt_copy}: not the saved format, cut short, a digest that does not match, a mark file
 *       that is not a number;
 *   <li>{@code invalid_update} or {@code gap}: an update that no longer verifies (forged, or its key's
 *       rotation grace ended) or a chain with a hole.
 * </ul>
 * After a refusal the peer syncs from the Mothership; nothing is written until the fresh copy has reached
 * the mark again, so a damaged or rolled-back file is only ever replaced by a copy at least as new.
 *
 * <p><b>Threat model, honestly.</b> Against an attacker who can write {@code $AURA_HOME} (the peer's own
 * user, or root) this class protects only partly. It cannot be fooled into enforcing a list the Mothership
 * never signed: every update is verified again. It detects a copy replaced by an older, genuinely signed
 * one while the mark file stands, and a deleted copy. It does not stop the attacker from replacing both
 * files together with an older pair, or deleting both: the same user can rewrite any file the peer can, and
 * could read the peer's private key anyway. What still holds then: an old copy is as stale as its
 * {@code iat}, so under {@link StalenessPolicy#FAIL_CLOSED} a rollback further back than the staleness bound
 * gains nothing (every new connection is refused), and a deleted pair leaves the peer refusing everything
 * until it syncs; a rollback within the bound can lift a revocation made inside that window, for that peer,
 * until its next sync. Keeping the mark somewhere the attacker cannot write (another user's store, a TPM
 * counter) closes that window; an embedding application can do so by comparing {@link #highWaterMark()}
 * with its own record after {@link #load}.
 *
 * <p><b>Limits.</b> Deltas accumulate until the next snapshot (the Mothership sends one when a peer syncs
 * from version 0 and the list fits in one document), so a peer that only ever receives deltas grows the file
 * by each; a file over {@value #MAX_FILE_BYTES} bytes is refused as {@code corrupt_copy}. Update the cache
 * only through this class ({@link #apply}, {@link #sync}); an update applied to the cache directly is not
 * saved, and the next one through this class is refused as a misuse.
 *
 * <p>Thread-safe: updates and saves are serialised; the cache's checks stay lock-free.
 */
public final class SavedRevocationCopy {
  /** The file holding the signed updates. */
  public static final String COPY_FILE = "revocations.jws";
  /** The file holding the highest version ever saved. */
  public static final String MARK_FILE = "revocations.version";
  /** The largest copy file read: 64 MiB. */
  public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  private static final String MAGIC = "aura-revocation-copy 1";
  private static final String UPDATE = "update ";
  private static final String RENEWAL = "renewal ";
  private static final String END = "end ";

  private final Path copyFile;
  private final Path markFile;
  private final PeerRevocationCache cache;
  private final Object lock = new Object();
  /** The updates that rebuild the copy, each prefixed with its line kind; guarded by {@link #lock}. */
  private final List<String> lines = new ArrayList<>();
  private boolean lastIsRenewal;
  private long chainVersion;
  private long highWaterMark;
  private boolean loaded;

  private SavedRevocationCopy(Path directory, PeerRevocationCache cache) {
    this.copyFile = directory.resolve(COPY_FILE);
    this.markFile = directory.resolve(MARK_FILE);
    this.cache = cache;
  }

  /**
   * @param directory where the two files live; created owner-only (0700) if missing
   * @param cache the copy to fill at {@link #load} and to update through this object; best still empty
   * @throws IOException if the directory cannot be created
   */
  public static SavedRevocationCopy open(Path directory, PeerRevocationCache cache) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(cache, "cache");
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return new SavedRevocationCopy(directory, cache);
  }

  /** @return the cache this copy fills and saves */
  public PeerRevocationCache cache() {
    return cache;
  }

  /** @return the highest version ever saved here, as read at {@link #load} and raised by every save */
  public long highWaterMark() {
    synchronized (lock) {
      return highWaterMark;
    }
  }

  /**
   * Reads the saved copy, verifies every update again and hands the result to the cache. Call once, at
   * start, before {@link #apply} or {@link #sync}.
   *
   * @return the version the cache now holds (0 when nothing was ever saved)
   * @throws RevocationSyncException {@code ROLLBACK}, {@code CORRUPT}, {@code INVALID} or {@code GAP} as in
   *     the class documentation; the files and the cache are unchanged, and later updates are saved once
   *     they reach the high-water mark
   * @throws IOException if a file exists but cannot be read
   */
  public long load() throws RevocationSyncException, IOException {
    synchronized (lock) {
      loaded = true;
      highWaterMark = Math.max(highWaterMark, readMark());
      if (!Files.exists(copyFile)) {
        if (highWaterMark > 0) {
          throw new RevocationSyncException(RevocationSyncException.Reason.ROLLBACK, "the saved copy "
              + copyFile + " is missing, but version " + highWaterMark + " was saved before (" + markFile
              + "): it was deleted; the copy stays empty until it syncs with the Mothership");
        }
        return cache.version();
      }
      Parsed parsed = parse(copyFile, readBounded(copyFile));
      PeerRevocationCache staging = cache.emptyCopy();
      for (String line : parsed.lines()) {
        staging.apply(line.substring(line.indexOf(' ') + 1));
      }
      if (staging.version() != parsed.version()) {
        throw corrupt(copyFile, "it declares version " + parsed.version() + " but its updates end at version "
            + staging.version());
      }
      if (parsed.version() < highWaterMark) {
        throw new RevocationSyncException(RevocationSyncException.Reason.ROLLBACK, "the saved copy " + copyFile
            + " holds version " + parsed.version() + ", but version " + highWaterMark + " was saved before ("
            + markFile + "): an older copy replaced it; refusing it, the copy stays empty until it syncs with"
            + " the Mothership");
      }
      cache.adopt(staging);
      lines.clear();
      lines.addAll(parsed.lines());
      lastIsRenewal = !lines.isEmpty() && lines.get(lines.size() - 1).startsWith(RENEWAL);
      chainVersion = parsed.version();
      raiseMark(); // a crash between writing the copy and the mark leaves the verified copy one ahead
      return cache.version();
    }
  }

  /**
   * Verifies and applies one signed update to the cache ({@link PeerRevocationCache#apply}), then saves the
   * copy if the update changed it or renewed its freshness.
   *
   * @return what the update did
   * @throws RevocationSyncException as {@link PeerRevocationCache#apply}; nothing changed, nothing saved
   * @throws IOException if saving failed: the update is in force in memory, the files still hold the
   *     previous copy, and the next successful save includes it
   * @throws IllegalStateException before {@link #load}, or when the cache was updated around this object
   */
  public UpdateOutcome apply(String signed) throws RevocationSyncException, IOException {
    synchronized (lock) {
      if (!loaded) {
        throw new IllegalStateException("call load() before applying updates, so the saved copy is not"
            + " overwritten by an older one");
      }
      if (cache.version() != chainVersion) {
        throw new IllegalStateException("the cache holds version " + cache.version() + " but the saved chain"
            + " ends at " + chainVersion + ": update the cache only through SavedRevocationCopy");
      }
      UpdateOutcome outcome = cache.apply(signed);
      if (outcome.status() == UpdateOutcome.Status.APPLIED) {
        if (outcome.kind() == UpdateOutcome.Kind.SNAPSHOT) {
          lines.clear();
        }
        lines.add(UPDATE + signed);
        lastIsRenewal = false;
        chainVersion = outcome.to();
      } else if (outcome.isCurrent()) {
        if (lastIsRenewal) {
          lines.remove(lines.size() - 1);
        }
        lines.add(RENEWAL + signed);
        lastIsRenewal = true;
      } else {
        return outcome;
      }
      save();
      return outcome;
    }
  }

  /**
   * As {@link PeerRevocationCache#sync}, saving after every update.
   *
   * @return the outcome of the last update applied
   * @throws TransportException if the Mothership could not be reached; updates applied before stay applied
   *     and saved
   * @throws RevocationSyncException if an update was refused; updates applied before stay applied and saved
   * @throws IOException if saving failed (see {@link #apply})
   */
  public UpdateOutcome sync(RevocationSource source) throws TransportException, RevocationSyncException,
      IOException {
    return PeerRevocationCache.<IOException>syncWith(source, cache::version, this::apply);
  }

  /** Writes the copy, then raises the mark; skipped while the copy is behind the mark (after a refused load). */
  private void save() throws IOException {
    if (chainVersion < highWaterMark) {
      return;
    }
    StringBuilder text = new StringBuilder(MAGIC).append('\n').append("version ").append(chainVersion)
        .append('\n');
    for (String line : lines) {
      text.append(line).append('\n');
    }
    byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
    text.append(END).append(HexFormat.of().formatHex(sha256(body))).append('\n');
    AtomicFile.write(copyFile, text.toString().getBytes(StandardCharsets.US_ASCII));
    raiseMark();
  }

  private void raiseMark() throws IOException {
    if (chainVersion > highWaterMark) {
      AtomicFile.write(markFile, (chainVersion + "\n").getBytes(StandardCharsets.US_ASCII));
      highWaterMark = chainVersion;
    }
  }

  private long readMark() throws RevocationSyncException, IOException {
    if (!Files.exists(markFile)) {
      return 0;
    }
    String text = new String(readBounded(markFile), StandardCharsets.US_ASCII);
    if (!text.matches("(0|[1-9][0-9]{0,17})\n")) {
      throw corrupt(markFile, "it is not a version number and a line feed");
    }
    return Long.parseLong(text.trim());
  }

  /** The declared version and the update lines of a copy whose format and digest are intact. */
  record Parsed(long version, List<String> lines) {}

  /** Parses a copy file's bytes: format and closing digest, not yet the signatures. */
  static Parsed parse(Path file, byte[] bytes) throws RevocationSyncException {
    int endAt = lastLineStart(bytes);
    if (endAt < 0) {
      throw corrupt(file, "it is empty or cut short (no line feed at the end)");
    }
    String body = new String(bytes, 0, endAt, StandardCharsets.US_ASCII);
    String end = new String(bytes, endAt, bytes.length - endAt - 1, StandardCharsets.US_ASCII);
    for (byte b : bytes) {
      if (b < 0) {
        throw corrupt(file, "it holds a byte that is not ASCII");
      }
    }
    byte[] digest = sha256(java.util.Arrays.copyOf(bytes, endAt));
    if (!end.startsWith(END) || !MessageDigest.isEqual(
        HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII),
        end.substring(END.length()).getBytes(StandardCharsets.US_ASCII))) {
      throw corrupt(file, "its closing digest is missing or does not match its content (cut short or altered)");
    }
    String[] rows = body.split("\n", -1);
    if (rows.length < 3 || !rows[0].equals(MAGIC) || !rows[1].matches("version (0|[1-9][0-9]{0,17})")
        || !rows[rows.length - 1].isEmpty()) {
      throw corrupt(file, "it does not start with '" + MAGIC + "' and a version line");
    }
    List<String> lines = new ArrayList<>(rows.length - 3);
    for (int i = 2; i < rows.length - 1; i++) {
      String row = rows[i];
      if (!(row.startsWith(UPDATE) || row.startsWith(RENEWAL)) || row.indexOf(' ') == row.length() - 1) {
        throw corrupt(file, "line " + (i + 1) + " is not an update");
      }
      lines.add(row);
    }
    return new Parsed(Long.parseLong(rows[1].substring("version ".length())), List.copyOf(lines));
  }

  /** @return where the last line starts, or -1 if the bytes do not end with a line feed after a first line */
  private static int lastLineStart(byte[] bytes) {
    if (bytes.length < 2 || bytes[bytes.length - 1] != '\n') {
      return -1;
    }
    for (int i = bytes.length - 2; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private static byte[] readBounded(Path file) throws RevocationSyncException, IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw corrupt(file, "it has " + size + " bytes, more than the " + MAX_FILE_BYTES + " a saved copy may have");
    }
    return Files.readAllBytes(file);
  }

  private static RevocationSyncException corrupt(Path file, String why) {
    return new RevocationSyncException(RevocationSyncException.Reason.CORRUPT, file + ": " + why
        + "; it is left as it is, and replaced once the copy has synced with the Mothership");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "SavedRevocationCopy[" + copyFile + ", version " + chainVersion + ", high-water mark "
        + highWaterMark + "]";
  }
}
