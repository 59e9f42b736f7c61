package dev.aura.token.internal;

import java.util.Objects;

/** The checks every builder in the token core shares: each setting at most once, required ones present. */
public final class Settings {
  private Settings() {}

  /**
   * @return {@code value}, after checking it is not null and the setting was not given before
   * @throws IllegalStateException naming the setting if it was already set
   */
  public static <T> T setOnce(T current, T value, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set");
    }
    return Objects.requireNonNull(value, name);
  }

  /** @throws IllegalStateException naming the setting if it is missing */
  public static void requirePresent(Object value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required");
    }
  }

  /** @throws IllegalStateException if neither a revocation check nor its explicit absence was chosen */
  public static void requireRevocationDecision(Object revocation) {
    if (revocation == null) {
      throw new IllegalStateException(
          "no revocation check: call revocation(...) or, deliberately, withoutRevocationCheck()");
    }
  }
}
