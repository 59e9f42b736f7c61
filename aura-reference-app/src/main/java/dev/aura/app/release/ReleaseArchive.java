package dev.aura.app.release;

import dev.aura.sync.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A release archive, {@code aura-VERSION.tar.gz} as {@code aura-dist} builds it: one top directory
 * {@code aura-VERSION/} holding {@code release.properties} (version, protocol), {@code bin/aura} and
 * {@code lib/*.jar}. Only directories and regular files with plain relative paths are accepted (no links, no
 * {@code ..}), so extracting one cannot write outside its target.
 *
 * <pre>{@code
 * ReleaseArchive.Info info = ReleaseArchive.inspect(Path.of("aura-0.13.0.tar.gz"));
 * Path installed = ReleaseArchive.extract(archive, info, stagingDir);   // stagingDir/aura-0.13.0
 * }</pre>
 */
public final class ReleaseArchive {
  /** The largest installation accepted, unpacked. */
  static final long MAX_INSTALLED_BYTES = 2L << 30;
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]*(/[A-Za-z0-9_+][A-Za-z0-9._+-]*)*/?");

  private ReleaseArchive() {}

  /**
   * What an archive is.
   *
   * @param file the archive
   * @param top its top directory, {@code aura-VERSION}
   * @param version the version of {@code release.properties}
   * @param protocol the protocol version of {@code release.properties}
   * @param sha256 lowercase hex SHA-256 of the archive's bytes
   * @param size the archive's size
   * @param installedSize the sum of its files' sizes, unpacked
   */
  public record Info(Path file, String top, ReleaseVersion version, int protocol, String sha256, long size,
      long installedSize) {}

  /**
   * Reads an archive through once.
   *
   * @throws ReleaseException {@code not a release archive} for anything else
   */
  public static Info inspect(Path file) throws ReleaseException, IOException {
    String sha256 = sha256(file);
    Properties release = null;
    String top = null;
    long installed = 0;
    boolean launcher = false;
    boolean jar = false;
    try (TarArchiveInputStream tar = open(file)) {
      for (TarArchiveEntry e; (e = next(tar)) != null; ) {
        String name = checkedName(e);
        String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        if (top == null) {
          top = first;
        } else if (!top.equals(first)) {
          throw malformed("more than one top directory (" + top + ", " + first + ")");
        }
        installed += e.getSize();
        if (installed > MAX_INSTALLED_BYTES) {
          throw malformed("larger than " + (MAX_INSTALLED_BYTES >> 20) + " MiB unpacked");
        }
        String inside = name.substring(first.length()).replaceFirst("^/", "");
        if (inside.equals("release.properties") && isRegularFile(e)) {
          release = new Properties();
          release.load(new java.io.StringReader(new String(tar.readNBytes(4096), StandardCharsets.UTF_8)));
        }
        launcher |= inside.equals("bin/aura") && isRegularFile(e) && (e.getMode() & 0100) != 0;
        jar |= inside.startsWith("lib/") && inside.endsWith(".jar") && isRegularFile(e);
      }
    }
    if (release == null || !launcher || !jar) {
      throw malformed("it lacks " + (release == null ? "release.properties" : !launcher ? "an executable bin/aura"
          : "lib/*.jar") + " under its top directory");
    }
    ReleaseVersion version;
    int protocol;
    try {
      version = ReleaseVersion.parse(release.getProperty("version"));
      protocol = Integer.parseInt(release.getProperty("protocol", ""));
    } catch (IllegalArgumentException e) {
      throw malformed("release.properties: " + e.getMessage());
    }
    if (!top.equals("aura-" + version)) {
      throw malformed("its top directory is " + top + ", release.properties says version " + version);
    }
    return new Info(file, top, version, protocol, sha256, Files.size(file), installed);
  }

  /**
   * Extracts an inspected archive into {@code into}: {@code into/aura-VERSION}. Files keep their execute bit;
   * nothing is readable only by others.
   *
   * @return the extracted top directory
   */
  public static Path extract(Info info, Path into) throws ReleaseException, IOException {
    try (TarArchiveInputStream tar = open(info.file())) {
      for (TarArchiveEntry e; (e = next(tar)) != null; ) {
        Path target = into.resolve(checkedName(e)).normalize();
        if (!target.startsWith(into)) {
          throw malformed("an entry leaves the target directory");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
          tar.transferTo(out);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
            (e.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return into.resolve(info.top());
  }

  /** @return the release of an installed directory (its {@code release.properties}) */
  public static ReleaseVersion installedVersion(Path installation) throws ReleaseException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(installation.resolve("release.properties"))) {
      p.load(in);
      return ReleaseVersion.parse(p.getProperty("version"));
    } catch (IOException | IllegalArgumentException e) {
      throw new ReleaseException(ReleaseException.Reason.NOT_INSTALLED, installation
          + " has no readable release.properties: " + e.getMessage());
    }
  }

  private static TarArchiveInputStream open(Path file) throws ReleaseException, IOException {
    InputStream in = Files.newInputStream(file);
    try {
      return new TarArchiveInputStream(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8.name());
    } catch (IOException e) {
      in.close();
      throw malformed("not gzip: " + e.getMessage());
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws ReleaseException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw malformed("its tar is broken: " + e.getMessage());
    }
  }

  private static String checkedName(TarArchiveEntry e) throws ReleaseException {
    String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
    if (!SAFE.matcher(name).matches() || name.contains("/../") || name.startsWith("../")) {
      throw malformed("unsafe entry name '" + name.replaceAll("[^\\x20-\\x7e]", "?") + "'");
    }
    if (!e.isDirectory() && !isRegularFile(e)) {
      throw malformed(name + " is neither a file nor a directory (links are not accepted)");
    }
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  /** @return whether a tar entry is a plain file (commons-compress's {@code isFile()} also says so of links) */
  public static boolean isRegularFile(TarArchiveEntry e) {
    return e.getLinkFlag() == TarConstants.LF_NORMAL || e.getLinkFlag() == TarConstants.LF_OLDNORM;
  }

  static ReleaseException malformed(String detail) {
    return new ReleaseException(ReleaseException.Reason.MALFORMED, detail);
  }

  /** @return lowercase hex SHA-256 of a file */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ContentHash.of(in).hex();
    }
  }
}
