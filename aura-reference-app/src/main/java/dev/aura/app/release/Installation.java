package dev.aura.app.release;

import dev.aura.app.config.ScratchFiles;
import dev.aura.sync.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An installed release as the README lays it out: versions side by side under one root, the symlink
 * {@code current} naming the one in use and {@code previous} the one before, for example
 *
 * <pre>
 * /opt/aura/aura-0.12.0/    previous
 * /opt/aura/aura-0.13.0/    current
 * /opt/aura/current  -> aura-0.13.0
 * /opt/aura/previous -> aura-0.12.0
 * </pre>
 *
 * {@link #install} downloads into the root, checks, unpacks beside the current version and swaps
 * {@code current} with one {@code rename(2)}; {@link #rollback} swaps back. Until the swap the current
 * installation is untouched, and a failure removes everything it wrote.
 *
 * <pre>{@code
 * Installation here = Installation.locate(System.getenv("AURA_INSTALL_DIR"));
 * Installation.Swap swap = here.install(manifest, () -> client.getBytes("/v1/release/archive", credential));
 * }</pre>
 */
public final class Installation {
  /** Room left beyond what an update writes, so the disk is not filled to the last byte. */
  static final long MARGIN_BYTES = 1L << 20;

  private final Path directory;
  private final Path root;

  private Installation(Path directory) {
    this.directory = directory;
    this.root = directory.getParent();
  }

  /** Opens the download stream of an archive. */
  public interface Download {
    /** @return the archive's bytes; the caller closes the stream */
    InputStream open() throws Exception;
  }

  /**
   * A swap of {@code current}.
   *
   * @param from the version in use before
   * @param to the version in use now
   * @param installed the directory now in use
   */
  public record Swap(ReleaseVersion from, ReleaseVersion to, Path installed) {}

  /**
   * @param installDir the installation this process runs from ({@code AURA_INSTALL_DIR}, exported by
   *     {@code bin/aura}); null outside an installed release
   * @throws ReleaseException {@code not an installed release} when it is null, or {@code current} does not
   *     name it
   */
  public static Installation locate(String installDir) throws ReleaseException {
    if (installDir == null || installDir.isBlank()) {
      throw new ReleaseException(ReleaseException.Reason.NOT_INSTALLED, "this aura does not run from an"
          + " installed release archive (AURA_INSTALL_DIR is not set; the installed bin/aura sets it): install"
          + " aura-VERSION.tar.gz as the README says, or update this checkout with git pull");
    }
    Path dir;
    try {
      dir = Path.of(installDir).toRealPath();
    } catch (IOException e) {
      throw new ReleaseException(ReleaseException.Reason.NOT_INSTALLED, "AURA_INSTALL_DIR " + installDir
          + " does not exist");
    }
    Installation here = new Installation(dir);
    Path current = here.link("current");
    try {
      if (!Files.isSymbolicLink(current) || !current.toRealPath().equals(dir)) {
        throw new ReleaseException(ReleaseException.Reason.NOT_INSTALLED, current + " is not a symlink to "
            + dir.getFileName() + ": install as the README says (ln -sfn " + dir.getFileName() + " " + current
            + ")");
      }
    } catch (IOException e) {
      throw new ReleaseException(ReleaseException.Reason.NOT_INSTALLED, current + ": " + e.getMessage());
    }
    here.version();
    return here;
  }

  /** @return the directory of the version in use */
  public Path directory() {
    return directory;
  }

  /** @return the directory holding the versions and the links */
  public Path root() {
    return root;
  }

  /** @return the version in use, from its {@code release.properties} */
  public ReleaseVersion version() throws ReleaseException {
    return ReleaseArchive.installedVersion(directory);
  }

  /**
   * Downloads, verifies and installs the release a verified manifest names, then makes it current. Checks
   * first that the file system has room for the archive and its unpacked files.
   *
   * @throws ReleaseException {@code not enough disk space}, {@code release archive tampered} (its bytes are
   *     not the signed ones), {@code not a release archive}; the installation is untouched then
   */
  public Swap install(ReleaseManifest manifest, Download download) throws ReleaseException {
    ReleaseVersion from = version();
    long need = manifest.size() + manifest.installedSize() + MARGIN_BYTES;
    long free = usableSpace();
    if (free < need) {
      throw new ReleaseException(ReleaseException.Reason.NO_SPACE, root + " has " + mib(free) + " free;"
          + " installing aura " + manifest.version() + " needs " + mib(need) + " (archive " + mib(manifest.size())
          + ", unpacked " + mib(manifest.installedSize()) + "); nothing was downloaded, aura " + from
          + " stays installed");
    }
    deleteLeftovers();
    String tag = "aura-" + manifest.version();
    Path archive = root.resolve("." + tag + ".download-" + ScratchFiles.suffix());
    Path staging = root.resolve("." + tag + ".install-" + ScratchFiles.suffix());
    Path target = root.resolve(tag);
    try {
      downloadTo(archive, manifest, download);
      ReleaseArchive.Info info = ReleaseArchive.inspect(archive);
      if (!info.version().equals(manifest.version()) || info.protocol() != manifest.protocol()) {
        throw ReleaseArchive.malformed("it holds aura " + info.version() + " (protocol v" + info.protocol()
            + "), its signed manifest says aura " + manifest.version() + " (protocol v" + manifest.protocol() + ")");
      }
      Files.createDirectory(staging);
      Path unpacked = ReleaseArchive.extract(info, staging);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(target, staging.resolve("replaced"), StandardCopyOption.ATOMIC_MOVE); // an older copy
      }
      Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      relink("previous", directory.getFileName().toString());
      relink("current", tag);
      return new Swap(from, manifest.version(), target);
    } catch (IOException e) {
      throw diskFailure(e, from);
    } finally {
      ScratchFiles.deleteTree(archive);
      ScratchFiles.deleteTree(staging);
    }
  }

  /**
   * Makes {@code previous} current again (and the current one previous, so a second rollback goes forward).
   *
   * @throws ReleaseException {@code nothing to roll back to} without a {@code previous} installation
   */
  public Swap rollback() throws ReleaseException {
    Path previous = link("previous");
    Path back;
    try {
      if (!Files.isSymbolicLink(previous)) {
        throw new ReleaseException(ReleaseException.Reason.NO_PREVIOUS, "no " + previous + ": aura "
            + version() + " is the only installation self-update knows of");
      }
      back = previous.toRealPath();
    } catch (IOException e) {
      throw new ReleaseException(ReleaseException.Reason.NO_PREVIOUS, previous + " names a directory that is"
          + " gone: " + e.getMessage());
    }
    ReleaseVersion from = version();
    ReleaseVersion to = ReleaseArchive.installedVersion(back);
    try {
      relink("previous", directory.getFileName().toString());
      relink("current", back.getFileName().toString());
    } catch (IOException e) {
      throw diskFailure(e, from);
    }
    return new Swap(from, to, back);
  }

  /** Removes what a killed update left in the root: only its own scratch names, never an installation. */
  private void deleteLeftovers() throws ReleaseException {
    try {
      ScratchFiles.deleteLeftovers(root, name -> name.matches(
          "\\.aura-[^/]+\\.(download|install)-[0-9a-f]{8}|\\.(current|previous)-[0-9a-f]{8}"));
    } catch (IOException e) {
      throw new ReleaseException(ReleaseException.Reason.IO, "cannot list " + root + ": " + e.getMessage());
    }
  }

  private void downloadTo(Path archive, ReleaseManifest manifest, Download download)
      throws ReleaseException, IOException {
    MessageDigest digest = ContentHash.sha256();
    long size = 0;
    try (InputStream in = download.open();
        OutputStream out = Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
        if (size > manifest.size()) {
          break; // longer than signed: tampered, and never fill the disk with it
        }
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (ReleaseException | IOException e) {
      throw e;
    } catch (Exception e) {
      throw new ReleaseException(ReleaseException.Reason.IO, "downloading the archive: " + e.getMessage());
    }
    String sha = HexFormat.of().formatHex(digest.digest());
    if (size != manifest.size() || !sha.equals(manifest.sha256())) {
      throw new ReleaseException(ReleaseException.Reason.TAMPERED, "the archive served has "
          + (size > manifest.size() ? "more than " + manifest.size() : Long.toString(size)) + " bytes, sha256 "
          + (size > manifest.size() ? "-" : sha) + "; the Mothership signed " + manifest.size() + " bytes, sha256 "
          + manifest.sha256() + "; nothing was installed");
    }
  }

  /** Points {@code root/name} at {@code target} (relative) with one rename, replacing what was there. */
  private void relink(String name, String target) throws IOException {
    Path link = link(name);
    Path fresh = root.resolve("." + name + "-" + ScratchFiles.suffix());
    Files.createSymbolicLink(fresh, Path.of(target));
    try {
      Files.move(fresh, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(fresh);
    }
  }

  private Path link(String name) {
    return root.resolve(name);
  }

  private long usableSpace() throws ReleaseException {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      throw new ReleaseException(ReleaseException.Reason.IO, "cannot read the free space of " + root + ": "
          + e.getMessage());
    }
  }

  private ReleaseException diskFailure(IOException e, ReleaseVersion current) {
    String message = String.valueOf(e.getMessage());
    if (message.toLowerCase(Locale.ROOT).contains("no space left")) {
      return new ReleaseException(ReleaseException.Reason.NO_SPACE, root + " filled up (" + message
          + "); everything written was removed, aura " + current + " stays installed");
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return new ReleaseException(ReleaseException.Reason.IO, "permission denied on " + message + ": run"
          + " aura self-update as the user that owns " + root + "; aura " + current + " stays installed");
    }
    return new ReleaseException(ReleaseException.Reason.IO, e.getClass().getSimpleName() + ": " + message
        + "; aura " + current + " stays installed");
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
