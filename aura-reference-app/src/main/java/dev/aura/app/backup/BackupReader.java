package dev.aura.app.backup;

import dev.aura.sync.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the plaintext tar of a backup and holds it to its manifest: the manifest first, then exactly the
 * files it lists, each of its size and SHA-256, with safe relative paths only.
 */
final class BackupReader {
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)?");
  private static final int MAX_MANIFEST = 1 << 20;

  /** Where the files go. */
  interface Sink {
    /** @return where the content of {@code path} (relative to the data directory) is written; closed after */
    OutputStream open(String path) throws IOException;
  }

  private BackupReader() {}

  /**
   * @return the manifest, once every file matched it
   * @throws BackupException {@code backup archive damaged} for anything that does not match
   */
  static BackupManifest read(InputStream plaintext, Sink sink) throws BackupException, IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(plaintext, StandardCharsets.UTF_8.name());
    TarArchiveEntry first;
    try {
      first = tar.getNextEntry();
    } catch (IOException e) {
      throw BackupCrypto.damaged("not a tar inside: " + e.getMessage());
    }
    if (first == null || !first.getName().equals(BackupManifest.ENTRY) || first.getSize() > MAX_MANIFEST) {
      throw BackupCrypto.damaged("it does not start with " + BackupManifest.ENTRY);
    }
    BackupManifest manifest = BackupManifest.parse(new String(tar.readNBytes(MAX_MANIFEST), StandardCharsets.UTF_8));
    Map<String, BackupManifest.FileEntry> expected = new HashMap<>();
    for (BackupManifest.FileEntry f : manifest.files()) {
      if (!SAFE_PATH.matcher(f.path()).matches() || f.path().contains("..")) {
        throw BackupCrypto.damaged("unsafe path in the manifest: " + printable(f.path()));
      }
      expected.put(f.path(), f);
    }
    Set<String> seen = new HashSet<>();
    for (TarArchiveEntry e; (e = nextEntry(tar)) != null; ) {
      String name = e.getName();
      String path = name.startsWith(BackupManifest.DATA) ? name.substring(BackupManifest.DATA.length()) : null;
      BackupManifest.FileEntry want = path == null ? null : expected.get(path);
      if (want == null || !dev.aura.app.release.ReleaseArchive.isRegularFile(e) || !seen.add(path)) {
        throw BackupCrypto.damaged("unexpected entry " + printable(name) + " (not in the manifest, or twice)");
      }
      MessageDigest digest = ContentHash.sha256();
      long size = 0;
      try (OutputStream out = sink.open(path)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = read(tar, buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          size += n;
        }
      }
      String sha = HexFormat.of().formatHex(digest.digest());
      if (size != want.size() || !sha.equals(want.sha256())) {
        throw BackupCrypto.damaged(path + " does not match the manifest (" + size + " bytes, sha256 "
            + sha.substring(0, 12) + "...; manifest: " + want.size() + " bytes, sha256 "
            + want.sha256().substring(0, 12) + "...)");
      }
    }
    if (seen.size() != expected.size()) {
      Set<String> missing = new HashSet<>(expected.keySet());
      missing.removeAll(seen);
      throw BackupCrypto.damaged("files of the manifest are missing: " + String.join(", ", new java.util.TreeSet<>(missing)));
    }
    return manifest;
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws BackupException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw BackupCrypto.damaged("its tar is broken: " + e.getMessage());
    }
  }

  private static int read(InputStream in, byte[] buffer) throws BackupException {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw BackupCrypto.damaged("it ends early or was modified: " + e.getMessage());
    }
  }

  private static String printable(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
