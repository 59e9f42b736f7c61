package dev.aura.token;

import java.time.Duration;
import java.util.Objects;

/**
 * A duration as operators write it: a positive whole number and one unit, {@code s}, {@code m}, {@code h} or
 * {@code d} — {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}. {@link #toString()} prints the largest unit
 * that divides the value exactly, and {@code parse(toString())} gives back an equal value.
 *
 * @param value the duration, positive and a whole number of seconds
 */
public record TokenDuration(Duration value) implements Comparable<TokenDuration> {
  /** Checks that the value is positive and whole seconds. */
  public TokenDuration {
    Objects.requireNonNull(value, "value");
    if (value.isNegative() || value.isZero() || value.getNano() != 0) {
      throw new IllegalArgumentException("a duration must be a positive whole number of seconds, got " + value);
    }
  }

  /** Wraps a {@link Duration}. */
  public static TokenDuration of(Duration value) {
    return new TokenDuration(value);
  }

  /**
   * Parses {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}.
   *
   * @throws IllegalArgumentException naming the input and the accepted forms
   */
  public static TokenDuration parse(String text) {
    if (text == null || text.length() < 2 || text.length() > 12) {
      throw invalid(text);
    }
    char unit = text.charAt(text.length() - 1);
    long seconds = switch (unit) {
      case 's' -> 1;
      case 'm' -> 60;
      case 'h' -> 3600;
      case 'd' -> 86400;
      default -> throw invalid(text);
    };
    String digits = text.substring(0, text.length() - 1);
    if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0')) {
      throw invalid(text);
    }
    long amount = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw invalid(text);
      }
      amount = amount * 10 + (c - '0');
    }
    if (amount == 0) {
      throw new IllegalArgumentException("duration '" + text + "' must be greater than zero");
    }
    if (amount > 36_500L * 86_400L / seconds) {
      throw new IllegalArgumentException("duration '" + text + "' is longer than 100 years");
    }
    return new TokenDuration(Duration.ofSeconds(amount * seconds));
  }

  private static IllegalArgumentException invalid(String text) {
    String shown = text == null ? "" : dev.aura.token.internal.StrictJson.printable(text);
    return new IllegalArgumentException("invalid duration '" + shown
        + "' (expected a number and a unit: 30s, 5m, 1h, 7d)");
  }

  @Override
  public int compareTo(TokenDuration other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    long s = value.getSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
