package dev.aura.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory tree as a comparable value: every entry below the root (except {@code .aura/}) by relative path,
 * with what a sync must preserve: a file's SHA-256 and executable bit, a symlink's target, a directory.
 *
 * @param entries relative path to description
 */
public record Trees(Map<String, String> entries) {
  /** Reads a tree, not following symlinks. */
  public static Trees of(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (rel.equals(".aura") || rel.startsWith(".aura/")) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir");
        } else {
          byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
          out.put(rel, "file " + HexFormat.of().formatHex(sha).substring(0, 16)
              + (Files.isExecutable(p) ? " +x" : ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new Trees(out);
  }

  /** @return the same tree without directories that hold no file or link (Git does not track those) */
  public Trees withoutEmptyDirectories() {
    Map<String, String> out = new TreeMap<>();
    entries.forEach((path, what) -> {
      if (!what.equals("dir") || entries.keySet().stream().anyMatch(p -> p.startsWith(path + "/")
          && !entries.get(p).equals("dir"))) {
        out.put(path, what);
      }
    });
    return new Trees(out);
  }

  /**
   * Writes {@code text} into {@code staging} (outside the synced tree, on the same file system) and moves it to
   * {@code file} whole: a scan that caught a file created but not yet written would sync its empty version as an
   * event of its own, and a test that waits for the file to exist could then see it empty.
   */
  public static void writeWhole(Path staging, Path file, String text) throws IOException {
    Path written = Files.writeString(Files.createDirectories(staging).resolve(file.getFileName()), text);
    Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Waits until {@code file} exists, failing after {@code bound}. */
  public static void await(Path file, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError(file + " did not appear within " + bound);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    entries.forEach((p, w) -> b.append(p).append(": ").append(w).append('\n'));
    return b.toString();
  }
}
