package dev.aura.app.release;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A release version as Maven writes it: numbers separated by dots, optionally a qualifier after a dash
 * ({@code 0.13.0}, {@code 0.1.0-SNAPSHOT}). Ordered by the numbers, then a release above any qualified build
 * of the same numbers, then qualifiers alphabetically; {@code toString()} round-trips.
 *
 * @param numbers the dotted numbers
 * @param qualifier what follows the dash, or empty
 */
public record ReleaseVersion(List<Integer> numbers, String qualifier) implements Comparable<ReleaseVersion> {
  private static final Pattern FORM = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9}){0,4}(-[A-Za-z0-9.]{1,40})?");

  /** Copies the list. */
  public ReleaseVersion {
    numbers = List.copyOf(numbers);
  }

  /**
   * @throws IllegalArgumentException for anything but {@code N[.N...][-QUALIFIER]}
   */
  public static ReleaseVersion parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      throw new IllegalArgumentException("not a release version: '" + (text == null ? "" : text.replaceAll(
          "[^\\x20-\\x7e]", "?")) + "' (expected such as 0.13.0 or 0.13.0-rc1)");
    }
    int dash = text.indexOf('-');
    String head = dash < 0 ? text : text.substring(0, dash);
    List<Integer> numbers = new ArrayList<>();
    for (String part : head.split("\\.")) {
      numbers.add(Integer.parseInt(part));
    }
    return new ReleaseVersion(numbers, dash < 0 ? "" : text.substring(dash + 1));
  }

  @Override
  public int compareTo(ReleaseVersion other) {
    for (int i = 0; i < Math.max(numbers.size(), other.numbers.size()); i++) {
      int a = i < numbers.size() ? numbers.get(i) : 0;
      int b = i < other.numbers.size() ? other.numbers.get(i) : 0;
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    if (qualifier.isEmpty() || other.qualifier.isEmpty()) {
      return Boolean.compare(qualifier.isEmpty(), other.qualifier.isEmpty());
    }
    return qualifier.compareTo(other.qualifier);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < numbers.size(); i++) {
      out.append(i == 0 ? "" : ".").append(numbers.get(i));
    }
    return qualifier.isEmpty() ? out.toString() : out + "-" + qualifier;
  }
}
