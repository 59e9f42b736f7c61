package dev.aura.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The temporary files of operations that write beside their target and rename at the end (backup, restore,
 * self-update): a random suffix for their names, and their removal, also of what a killed run left behind.
 */
public final class ScratchFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ScratchFiles() {}

  /** @return 8 random hex digits, for a scratch name */
  public static String suffix() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Deletes a file or directory tree without following links; quietly, as scratch files are named to be found. */
  public static void deleteTree(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: what is left keeps its scratch name, and the next run of the operation removes it
    }
  }

  /** Deletes the entries of {@code dir} whose names match: what a killed run left. */
  public static void deleteLeftovers(Path dir, Predicate<String> scratchName) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (scratchName.test(p.getFileName().toString())) {
          deleteTree(p);
        }
      }
    }
  }
}
