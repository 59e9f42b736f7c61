package dev.aura.sync.internal;

import dev.aura.sync.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Walks a synced directory without following symlinks and lists the files and symlinks to sync. Skips
 * {@code .aura} and {@code .git} at any depth and whatever the {@code .auraignore} files say: each directory
 * may hold one, in gitignore syntax (matched by JGit), applying to its own subtree, deeper files first, as Git
 * does with {@code .gitignore}. An ignored directory is not entered.
 */
public final class TreeScanner {
  /** The name of the ignore file. */
  public static final String IGNORE_FILE = ".auraignore";

  /** One entry to compare with the index. */
  public record Found(SyncPath path, Path file, DiskEntry disk) {}

  private record Rules(String prefix, IgnoreNode node) {}

  private final Path root;
  private final long maxFileSize;
  private final List<Found> found = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  private TreeScanner(Path root, long maxFileSize) {
    this.root = root;
    this.maxFileSize = maxFileSize;
  }

  /** Walks {@code root}; found entries are sorted by path. */
  public static TreeScanner walk(Path root, long maxFileSize) throws IOException {
    TreeScanner scanner = new TreeScanner(root, maxFileSize);
    scanner.walk(root, "", new ArrayList<>());
    return scanner;
  }

  public List<Found> found() {
    return found;
  }

  public List<String> skipped() {
    return skipped;
  }

  /** @return whether a segment is one Aura never syncs nor writes: {@code .aura} or {@code .git} */
  public static boolean reserved(String segment) {
    return segment.equals(".aura") || segment.equals(".git");
  }

  private void walk(Path dir, String prefix, List<Rules> rules) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (NoSuchFileException vanished) {
      return;
    } catch (IOException e) {
      if (dir.equals(root)) {
        throw e;
      }
      skipped.add(prefix + ": could not list this directory (" + Failures.describe(e) + "): not synced");
      return;
    }
    children.sort(null);
    Path ignoreFile = dir.resolve(IGNORE_FILE);
    if (Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)) {
      IgnoreNode node = new IgnoreNode();
      try (InputStream in = Files.newInputStream(ignoreFile, LinkOption.NOFOLLOW_LINKS)) {
        node.parse(in);
        rules = new ArrayList<>(rules);
        rules.add(new Rules(prefix, node));
      } catch (IOException e) {
        skipped.add(prefix + IGNORE_FILE + ": could not be read (" + Failures.describe(e) + "): its patterns"
            + " were not applied");
      }
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (reserved(name)) {
        continue;
      }
      String rel = prefix + name;
      SyncPath path;
      try {
        path = SyncPath.parse(rel);
      } catch (IllegalArgumentException e) {
        skipped.add(printable(rel) + ": " + e.getMessage() + ": not synced");
        continue;
      }
      PosixFileAttributes attrs;
      DiskEntry disk;
      try {
        attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        disk = DiskEntry.of(child, attrs);
      } catch (NoSuchFileException vanished) {
        continue;
      } catch (IOException e) {
        skipped.add(rel + ": could not be read (" + Failures.describe(e) + "): not synced");
        continue;
      }
      boolean isDirectory = disk.type() == DiskEntry.Type.DIRECTORY;
      if (ignored(rules, rel, isDirectory)) {
        continue;
      }
      switch (disk.type()) {
        case DIRECTORY -> walk(child, rel + "/", rules);
        case SYMLINK -> found.add(new Found(path, child, disk));
        case FILE -> {
          if (disk.size() > maxFileSize) {
            skipped.add(rel + " is " + mebibytes(disk.size()) + ", larger than [sync] max_file_size ("
                + limit(maxFileSize) + "): not synced");
          } else {
            found.add(new Found(path, child, disk));
          }
        }
        default -> skipped.add(rel + " is not a regular file, directory or symlink: not synced");
      }
    }
  }

  private static boolean ignored(List<Rules> rules, String rel, boolean isDirectory) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rules r = rules.get(i);
      Boolean verdict = r.node().checkIgnored(rel.substring(r.prefix().length()), isDirectory);
      if (verdict != null) {
        return verdict;
      }
    }
    return false;
  }

  /** "70.0 MiB" */
  public static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** "64 MiB" when whole, else "1.5 MiB", "512 KiB" or "100 bytes". */
  public static String limit(long bytes) {
    long mib = 1024L * 1024L;
    if (bytes >= mib) {
      return bytes % mib == 0 ? bytes / mib + " MiB" : mebibytes(bytes);
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KiB";
    }
    return bytes + " bytes";
  }

  private static String printable(String raw) {
    StringBuilder out = new StringBuilder();
    raw.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\x%02x", cp));
      } else {
        out.append(Character.toChars(cp));
      }
    });
    return out.toString();
  }
}
