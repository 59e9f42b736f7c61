package dev.aura.sync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A path inside a synced directory, as every peer writes it: relative, {@code /}-separated, no empty,
 * {@code .} or {@code ..} segment, no backslash, NUL or other control character, at most 255 UTF-8 bytes a
 * segment and 4096 in all. This is the one place an untrusted path from another peer is checked: a
 * {@code SyncPath} can never name anything outside the directory it is resolved against.
 *
 * @param value the canonical form, for example {@code src/main/Widget.java}
 */
public record SyncPath(String value) implements Comparable<SyncPath> {
  /** Longest path, in UTF-8 bytes. */
  public static final int MAX_BYTES = 4096;
  /** Longest segment, in UTF-8 bytes. */
  public static final int MAX_SEGMENT_BYTES = 255;

  /** @throws IllegalArgumentException naming what is wrong, without echoing the raw input */
  public SyncPath {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("invalid path: " + problem);
    }
  }

  /** Parses the canonical form; the same as the constructor. */
  public static SyncPath parse(String value) {
    return new SyncPath(value);
  }

  /** @return the path of {@code file} relative to {@code root}, in canonical form */
  public static SyncPath relative(Path root, Path file) {
    Path rel = root.relativize(file);
    StringBuilder out = new StringBuilder();
    for (Path segment : rel) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment.toString());
    }
    return new SyncPath(out.toString());
  }

  private static String problem(String value) {
    if (value == null || value.isEmpty()) {
      return "empty";
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "longer than " + MAX_BYTES + " bytes";
    }
    if (value.startsWith("/")) {
      return "absolute";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "contains a control character";
      }
      if (c == '\\') {
        return "contains a backslash";
      }
      if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(++i)))) {
        return "is not valid Unicode";
      }
    }
    for (String segment : value.split("/", -1)) {
      if (segment.isEmpty()) {
        return "has an empty segment";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "has a '" + segment + "' segment";
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return "has a segment longer than " + MAX_SEGMENT_BYTES + " bytes";
      }
    }
    return null;
  }

  /** @return the segments, outermost first */
  public String[] segments() {
    return value.split("/");
  }

  /** @return the last segment */
  public String fileName() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? value : value.substring(slash + 1);
  }

  /** @return the parent path, or null for a top-level entry */
  public SyncPath parent() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? null : new SyncPath(value.substring(0, slash));
  }

  /** @return the same directory with another file name */
  public SyncPath withFileName(String name) {
    SyncPath parent = parent();
    return new SyncPath(parent == null ? name : parent.value + "/" + name);
  }

  /** @return {@code root} resolved with this path, segment by segment */
  public Path resolveAgainst(Path root) {
    Path out = root;
    for (String segment : segments()) {
      out = out.resolve(segment);
    }
    return out;
  }

  @Override
  public int compareTo(SyncPath other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
