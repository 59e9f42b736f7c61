package dev.aura.app.backup;

import dev.aura.app.config.DataDir;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.config.ScratchFiles;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditChain;
import dev.aura.spi.StoreException;
import dev.aura.store.jdbc.JdbcStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The two ends of a backup on the host: {@link #save} encrypts the snapshot a running Mothership streams into
 * a file (checking it against its manifest on the way), {@link #restore} opens one into an empty data
 * directory. Neither leaves anything behind when it fails: each writes beside its target and renames at the
 * end.
 *
 * <pre>{@code
 * BackupManifest m = BackupFiles.save(snapshotStream, Path.of("mship.aura-backup"), passphrase);
 * BackupManifest r = BackupFiles.restore(Path.of("mship.aura-backup"), new DataDir(newDir), passphrase);
 * }</pre>
 */
public final class BackupFiles {
  private BackupFiles() {}

  /**
   * Encrypts a backup's plaintext tar into {@code out} (created 0600, atomically; an existing file is
   * refused).
   *
   * @return the manifest the tar carried
   * @throws BackupException {@code backup archive damaged} when the stream does not match its manifest
   */
  public static BackupManifest save(InputStream tar, Path out, char[] passphrase)
      throws BackupException, IOException {
    if (Files.exists(out)) {
      throw new BackupException(BackupException.Reason.IO, out + " exists already; choose another --out");
    }
    String partialPrefix = "." + out.getFileName() + ".partial-";
    ScratchFiles.deleteLeftovers(out.toAbsolutePath().getParent(), n -> n.startsWith(partialPrefix));
    Path partial = sibling(out, ".partial");
    try {
      BackupManifest manifest;
      try (OutputStream file = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
          OutputStream encrypted = BackupCrypto.encrypt(file, passphrase)) {
        Files.setPosixFilePermissions(partial, OwnerOnlyFiles.SECRET);
        InputStream tee = new Tee(tar, encrypted);
        manifest = BackupReader.read(tee, path -> OutputStream.nullOutputStream());
        tee.transferTo(OutputStream.nullOutputStream()); // the tar's end-of-archive blocks
      }
      try (var channel = java.nio.channels.FileChannel.open(partial, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      return manifest;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Restores a backup into {@code target}, which must be empty or missing: decrypts into a private directory
   * beside it, checks every file against the manifest, the OpenPGP integrity code and (SQLite) the audit chain
   * of the restored store against the manifest's head, then renames it into place.
   *
   * @return the manifest
   * @throws BackupException {@code a Mothership is running}, {@code data directory not empty},
   *     {@code wrong passphrase}, {@code backup archive damaged}; nothing was written then
   */
  public static BackupManifest restore(Path archive, DataDir target, char[] passphrase)
      throws BackupException, IOException {
    checkTarget(target);
    if (!Files.isRegularFile(archive)) {
      throw new BackupException(BackupException.Reason.IO, "no backup archive at " + archive);
    }
    Path parent = target.root().getParent();
    Files.createDirectories(parent);
    String prefix = "." + target.root().getFileName() + ".restore-";
    ScratchFiles.deleteLeftovers(parent, n -> n.startsWith(prefix)); // of a restore that was killed: it never reached the rename
    Path staging = parent.resolve(prefix + ScratchFiles.suffix());
    Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.DIRECTORY));
    try {
      BackupManifest manifest;
      try (InputStream in = Files.newInputStream(archive)) {
        BackupCrypto.Decryption decryption = BackupCrypto.decrypt(in, passphrase);
        manifest = BackupReader.read(decryption.plaintext(), path -> create(staging, path));
        decryption.verifyIntegrity();
      }
      if (manifest.databaseIncluded()) {
        checkAuditHead(new DataDir(staging), manifest);
      }
      checkTarget(target); // again: nothing may have appeared meanwhile
      Files.deleteIfExists(target.root());
      try {
        Files.move(staging, target.root(), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException | DirectoryNotEmptyException e) {
        throw new BackupException(BackupException.Reason.NOT_EMPTY, target.root() + " appeared while restoring");
      }
      return manifest;
    } finally {
      ScratchFiles.deleteTree(staging);
    }
  }

  private static void checkTarget(DataDir target) throws BackupException, IOException {
    if (!Files.exists(target.root())) {
      return;
    }
    if (!Files.isDirectory(target.root())) {
      throw new BackupException(BackupException.Reason.NOT_EMPTY, target.root() + " is a file, not a directory");
    }
    OptionalLong pid;
    try {
      pid = target.readPid();
    } catch (IOException e) {
      pid = OptionalLong.empty();
    }
    if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new BackupException(BackupException.Reason.RUNNING, "pid " + pid.getAsLong() + " runs from "
          + target.root() + "; stop it first (aura mothership stop --data-dir " + target.root()
          + "), and restore into a new, empty directory");
    }
    try (Stream<Path> entries = Files.list(target.root())) {
      List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(5).toList();
      if (!names.isEmpty()) {
        throw new BackupException(BackupException.Reason.NOT_EMPTY, target.root() + " holds "
            + String.join(", ", names) + (names.size() == 5 ? ", ..." : "")
            + "; restore into a new, empty directory");
      }
    }
  }

  private static void checkAuditHead(DataDir restored, BackupManifest manifest) throws BackupException {
    try (JdbcStores stores = JdbcStores.open(restored.defaultStoreUrl())) {
      AuditEntry head = OnlineBackup.verifiedHead(stores.auditLog());
      long sequence = head == null ? 0 : head.sequence();
      String hash = head == null ? AuditChain.GENESIS : head.hash();
      if (sequence != manifest.auditSequence() || !hash.equals(manifest.auditHash())) {
        throw BackupCrypto.damaged("the restored audit log ends at entry " + sequence + ", the manifest says "
            + manifest.auditSequence());
      }
    } catch (StoreException e) {
      throw BackupCrypto.damaged("the restored store does not open: " + e.getMessage());
    } catch (BackupException e) {
      throw e.reason() == BackupException.Reason.DAMAGED ? e : BackupCrypto.damaged(e.detail());
    }
    try {
      OnlineBackup.deleteSidecars(restored.root());
    } catch (IOException e) {
      throw new BackupException(BackupException.Reason.IO, e.getMessage());
    }
  }

  private static OutputStream create(Path staging, String path) throws IOException {
    Path file = staging.resolve(path).normalize();
    if (!file.startsWith(staging)) {
      throw new IOException("unsafe path " + path);
    }
    if (!file.getParent().equals(staging)) {
      OwnerOnlyFiles.createDirectories(file.getParent());
    }
    OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Files.setPosixFilePermissions(file, OwnerOnlyFiles.SECRET);
    return out;
  }

  private static Path sibling(Path file, String suffix) {
    Path absolute = file.toAbsolutePath();
    return absolute.resolveSibling("." + absolute.getFileName() + suffix + "-" + ScratchFiles.suffix());
  }


  /** Copies what is read to a second stream: the bytes encrypted are exactly the bytes checked. */
  private static final class Tee extends java.io.FilterInputStream {
    private final OutputStream copy;

    Tee(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
      int read = read(buffer, 0, buffer.length);
      return Math.max(read, 0);
    }
  }
}
