package dev.aura.oidc;

import java.time.Duration;

/**
 * Durations as rejection messages show them: the two largest non-zero units, {@code 5m}, {@code 3h},
 * {@code 3h12m}, {@code 2d}, {@code 40s}.
 */
public final class HumanDuration {
  private HumanDuration() {}

  /** @return the two largest non-zero units of {@code d} (its absolute value) */
  public static String format(Duration d) {
    long s = Math.abs(d.getSeconds());
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < sizes.length && shown < 2; i++) {
      long n = s / sizes[i];
      if (n > 0) {
        out.append(n).append(units[i]);
        s -= n * sizes[i];
        shown++;
      } else if (shown > 0) {
        break;
      }
    }
    return out.length() == 0 ? "0s" : out.toString();
  }
}
