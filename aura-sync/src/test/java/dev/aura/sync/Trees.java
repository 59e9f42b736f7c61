package dev.aura.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers for real directories. */
final class Trees {
  private Trees() {}

  /** Every entry except .aura/: "a/b.txt" -> content (+ " [x]" when executable), links "-> target", dirs "/". */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (rel.equals(".aura") || rel.startsWith(".aura/")) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "/");
        } else {
          boolean x = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
              .contains(PosixFilePermission.OWNER_EXECUTE);
          out.put(rel, Files.readString(p) + (x ? " [x]" : ""));
        }
      }
    }
    return out;
  }

  static Path write(Path root, String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  static void executable(Path file, boolean x) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(x ? "rwxr-xr-x" : "rw-r--r--"));
  }
}
